# A throwaway django-machina forum (from PyPI, on the system Python, SQLite) on loopback for the
# forums engine's tests: `source ops/lib/forum.sh; start_forum DIR` sets FORUM_URL (the board
# members post in), FORUM_USER and FORUM_PASSWORD (a member, what a tenant connects);
# `stop_forum` ends it. Sourced, not executed.
#
# Why it looks like this (each found by trying): django-machina 1.3.1 installs on Python 3.11 with
# Django 4.2 (not 5); its apps need mptt, haystack (the simple backend) and widget_tweaks
# configured; Django's own auth views give the login form (a project template renders it);
# members need forum permissions granted by default settings; anonymous visitors are granted
# reading so the public topic page can be verified; `runserver --insecure` serves the static
# files. The virtualenv is kept in ~/.cache/linkwright so a second run starts in about 3 s.
FORUM_PACKAGES=(python3-venv)
FORUM_VENV="${LINKWRIGHT_CACHE:-$HOME/.cache/linkwright}/machina-1.3.1"

start_forum() {
    FORUM_DIR="$1"; mkdir -p "$FORUM_DIR/proj/templates/registration"
    if [ ! -x "$FORUM_VENV/bin/django-admin" ]; then
        python3 -m venv "$FORUM_VENV"
        "$FORUM_VENV/bin/pip" install --quiet "django-machina==1.3.1" "django>=4.2,<5" >"$FORUM_DIR/pip.log" 2>&1 \
            || { cat "$FORUM_DIR/pip.log"; return 1; }
    fi
    local proj="$FORUM_DIR/proj"
    cat >"$proj/settings.py" <<PY
import os
from machina import MACHINA_MAIN_TEMPLATE_DIR, MACHINA_MAIN_STATIC_DIR
BASE = "$FORUM_DIR"
SECRET_KEY = "$(head -c 24 /dev/urandom | base64)"; DEBUG = False; ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
  "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
  "mptt", "haystack", "widget_tweaks", "machina", "machina.apps.forum",
  "machina.apps.forum_conversation", "machina.apps.forum_conversation.forum_attachments",
  "machina.apps.forum_conversation.forum_polls", "machina.apps.forum_feeds",
  "machina.apps.forum_moderation", "machina.apps.forum_search", "machina.apps.forum_tracking",
  "machina.apps.forum_member", "machina.apps.forum_permission"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware",
  "django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
  "django.contrib.auth.middleware.AuthenticationMiddleware", "django.contrib.messages.middleware.MessageMiddleware",
  "machina.apps.forum_permission.middleware.ForumPermissionMiddleware"]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
  "DIRS": [os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"), MACHINA_MAIN_TEMPLATE_DIR],
  "APP_DIRS": True, "OPTIONS": {"context_processors": ["django.template.context_processors.request",
  "django.contrib.auth.context_processors.auth", "django.contrib.messages.context_processors.messages",
  "machina.core.context_processors.metadata"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE + "/db.sqlite3"}}
STATIC_URL = "/static/"; STATICFILES_DIRS = (MACHINA_MAIN_STATIC_DIR,)
MEDIA_ROOT = BASE + "/media"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          "machina_attachments": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": BASE + "/attcache"}}
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGIN_URL = "/accounts/login/"; LOGIN_REDIRECT_URL = "/forum/"
USE_TZ = True
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = ["can_see_forum", "can_read_forum",
  "can_start_new_topics", "can_reply_to_topics", "can_edit_own_posts", "can_post_without_approval"]
PY
    cat >"$proj/urls.py" <<'PY'
from django.contrib import admin
from django.urls import include, path
urlpatterns = [path("admin/", admin.site.urls), path("accounts/", include("django.contrib.auth.urls")),
               path("forum/", include("machina.urls"))]
PY
    cat >"$proj/seed.py" <<'PY'
import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings"); django.setup()
from django.contrib.auth.models import User
from machina.apps.forum.models import Forum
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission
User.objects.create_user("member1", "member1@example.test", "member1 passphrase")
category = Forum.objects.create(name="General", type=Forum.FORUM_CAT)
board = Forum.objects.create(name="Links", type=Forum.FORUM_POST, parent=category)
for code in ["can_see_forum", "can_read_forum"]:
    UserForumPermission.objects.create(permission=ForumPermission.objects.get(codename=code), anonymous_user=True, forum=None, has_perm=True)
print("/forum/forum/%s-%d/" % (board.slug, board.id))
PY
    echo '<form method="post">{% csrf_token %}{{ form.as_p }}<button type="submit">Log in</button></form>' \
        >"$proj/templates/registration/login.html"
    FORUM_PORT=$(free_port)
    export PYTHONPATH="$proj" DJANGO_SETTINGS_MODULE=settings
    "$FORUM_VENV/bin/django-admin" migrate -v0 >"$FORUM_DIR/migrate.log" 2>&1 || { cat "$FORUM_DIR/migrate.log"; return 1; }
    local board; board=$("$FORUM_VENV/bin/python" "$proj/seed.py") || return 1
    setsid "$FORUM_VENV/bin/django-admin" runserver "127.0.0.1:$FORUM_PORT" --noreload --insecure >"$FORUM_DIR/server.log" 2>&1 </dev/null &
    echo $! >"$FORUM_DIR/server.pid"
    unset PYTHONPATH DJANGO_SETTINGS_MODULE
    FORUM_URL="http://127.0.0.1:$FORUM_PORT$board"; FORUM_USER=member1; FORUM_PASSWORD="member1 passphrase"
    for _ in $(seq 200); do curl -fs -o /dev/null "$FORUM_URL" && return 0; sleep 0.05; done
    echo "the forum did not come up on $FORUM_URL" >&2; cat "$FORUM_DIR/server.log" >&2; return 1
}

stop_forum() {
    [ -n "${FORUM_DIR:-}" ] && [ -f "$FORUM_DIR/server.pid" ] && kill -- -"$(cat "$FORUM_DIR/server.pid")" 2>/dev/null
    return 0
}
