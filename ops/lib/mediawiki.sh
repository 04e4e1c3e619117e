# A throwaway MediaWiki (Debian's package) on SQLite, on loopback, for the engines' tests:
# `source ops/lib/mediawiki.sh; start_mediawiki DIR` sets MW_URL (the wiki, whose API is
# $MW_URL/api.php), MW_BOT_USER and MW_BOT_PASSWORD (a bot password, what a tenant connects:
# `User@app`); `stop_mediawiki` ends it.
#
# Why it looks like this (each found by trying): install.php runs non-interactively on SQLite
# (the admin password needs 10 characters); MW_CONFIG_FILE names LocalSettings.php for the web
# entry points and the maintenance scripts alike; caches and sessions live in the database (no
# APCu here, and a login must survive between requests); the per-address rate limits are off
# (every request comes from 127.0.0.1); a bot password is the only kind action=login accepts;
# one spam rule ($wgSpamRegex) lets tests see the wiki refuse content as real wikis do.
MEDIAWIKI_PACKAGES=(mediawiki php-cli php-sqlite3 php-intl php-mbstring php-xml)

start_mediawiki() {
    MW_DIR="$1"; MW_PORT=$(free_port); MW_URL="http://127.0.0.1:$MW_PORT"
    local mw=/usr/share/mediawiki
    mkdir -p "$MW_DIR/data" "$MW_DIR/cache"
    export MW_CONFIG_FILE="$MW_DIR/LocalSettings.php"
    php $mw/maintenance/install.php --quiet --dbtype=sqlite --dbpath="$MW_DIR/data" --dbname=wiki --server="$MW_URL" \
        --scriptpath="" --confpath="$MW_DIR" --lang=en --skins=Vector --pass='Admin-passphrase-1' "Linkwright Wiki" Admin \
        >"$MW_DIR/install.log" 2>&1 || { cat "$MW_DIR/install.log"; return 1; }
    cat >>"$MW_DIR/LocalSettings.php" <<PHP
\$wgCacheDirectory = "$MW_DIR/cache";
\$wgMainCacheType = CACHE_DB;
\$wgSessionCacheType = CACHE_DB;
\$wgEnableEmail = false;
\$wgEnableUploads = false;
\$wgRateLimits = [];
\$wgJobRunRate = 1;
\$wgSpamRegex = ['/linkwright-test-spam/'];
PHP
    php $mw/maintenance/createAndPromote.php --conf "$MW_CONFIG_FILE" Linkbot 'Linkbot-passphrase-1' >>"$MW_DIR/install.log" 2>&1
    local created
    created=$(php $mw/maintenance/createBotPassword.php --conf "$MW_CONFIG_FILE" \
        --grants basic,highvolume,editpage,createeditmovepage --appid engine Linkbot 2>&1 | tail -1)
    MW_BOT_USER='Linkbot@engine'
    MW_BOT_PASSWORD=$(echo "$created" | sed -nE "s/.*password:'([a-z0-9]+)'.*/\1/p")
    [ -n "$MW_BOT_PASSWORD" ] || { echo "no bot password: $created" >&2; return 1; }
    PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$MW_PORT" -t $mw >"$MW_DIR/php-server.log" 2>&1 </dev/null &
    echo $! >"$MW_DIR/php.pid"
    for _ in $(seq 200); do curl -fs -o /dev/null "$MW_URL/api.php?action=query&format=json" && break; sleep 0.05; done
    curl -fs -o /dev/null "$MW_URL/api.php?action=query&format=json" || { echo "MediaWiki did not come up on $MW_URL" >&2; return 1; }
}

stop_mediawiki() {
    [ -n "${MW_DIR:-}" ] || return 0
    [ -f "$MW_DIR/php.pid" ] && kill -- -"$(cat "$MW_DIR/php.pid")" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$(cat "$MW_DIR/php.pid" 2>/dev/null)" 2>/dev/null || break; sleep 0.05; done
    MW_DIR=
}
