# A throwaway WordPress (Debian's package) with its own MariaDB, on loopback, for the engines'
# tests: `source ops/lib/wordpress.sh; start_wordpress DIR` sets WP_URL, WP_AUTHOR,
# WP_AUTHOR_APP_PASSWORD (an application password of an `author`, what a tenant connects),
# WP_ADMIN_APP_PASSWORD (to moderate comments); `stop_wordpress` ends it and removes its state.
#
# Why it looks like this (each found by trying): MariaDB listens on a unix socket only, run as
# root with tiny buffers; Debian's wp-config.php picks /etc/wordpress/config-<name>.php, and
# `php -S` cannot set the variable that names it, so an auto_prepend_file does; application
# passwords need WP_ENVIRONMENT_TYPE=local over plain http; cron and external HTTP are off (no
# loopback self-requests, no internet); pretty permalinks give /wp-json/ and post URLs; the
# comment flood limit (one comment per 15 s per address, else 429) can be lifted per instance
# with WP_COMMENT_FLOOD=off; asked for as norest.test its REST API is off (a must-use plugin), for
# the XML-RPC fallback; mail is captured to a file; without a theme a post's page is empty. Everything runs under setsid, so the
# php -S workers die with their group.
WORDPRESS_PACKAGES=(wordpress wordpress-theme-twentytwentyone php-cli php-mysql mariadb-server php-curl php-xml php-mbstring)

start_wordpress() {
    WP_DIR="$1"; WP_PORT=$(free_port); WP_URL="http://127.0.0.1:$WP_PORT"
    WP_NAME="linkwright$WP_PORT"
    mkdir -p "$WP_DIR/db" "$WP_DIR/mu-plugins"
    mariadb-install-db --no-defaults --datadir="$WP_DIR/db" --user=root --auth-root-authentication-method=socket \
        --skip-test-db >"$WP_DIR/install-db.log" 2>&1 || { cat "$WP_DIR/install-db.log"; return 1; }
    setsid mariadbd --no-defaults --datadir="$WP_DIR/db" --socket="$WP_DIR/mysql.sock" --skip-networking --user=root \
        --innodb-buffer-pool-size=16M --innodb-log-file-size=8M --skip-log-bin --log-error="$WP_DIR/mysqld.err" </dev/null &
    echo $! >"$WP_DIR/mysqld.pid"
    for _ in $(seq 200); do [ -S "$WP_DIR/mysql.sock" ] && break; sleep 0.05; done
    mariadb --no-defaults -S "$WP_DIR/mysql.sock" -uroot \
        -e "CREATE DATABASE wp; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO 'wp'@'localhost';"

    local salt; salt() { head -c 48 /dev/urandom | base64 | tr -d '+/=\n'; }
    cat >"/etc/wordpress/config-$WP_NAME.php" <<PHP
<?php
define('DB_NAME', 'wp'); define('DB_USER', 'wp'); define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:$WP_DIR/mysql.sock');
define('WP_HOME', '$WP_URL'); define('WP_SITEURL', '$WP_URL');
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEFAULT_THEME', 'twentytwentyone'); define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content'); define('WPMU_PLUGIN_DIR', '$WP_DIR/mu-plugins');
define('AUTH_KEY', '$(salt)'); define('SECURE_AUTH_KEY', '$(salt)'); define('LOGGED_IN_KEY', '$(salt)'); define('NONCE_KEY', '$(salt)');
define('AUTH_SALT', '$(salt)'); define('SECURE_AUTH_SALT', '$(salt)'); define('LOGGED_IN_SALT', '$(salt)'); define('NONCE_SALT', '$(salt)');
PHP
    echo "<?php \$_SERVER['WORDPRESS_CONFIG'] = '$WP_NAME';" >"$WP_DIR/prepend.php"
    cat >"$WP_DIR/mu-plugins/capture-mail.php" <<PHP
<?php add_filter('pre_wp_mail', function (\$r, \$a) { file_put_contents('$WP_DIR/mail.log', json_encode(\$a) . "\n", FILE_APPEND); return true; }, 10, 2);
PHP
    # Asked for as norest.test (a name the tests resolve to this address), the site behaves like
    # one whose REST API a plugin turned off, so the XML-RPC fallback meets the real thing.
    cat >"$WP_DIR/mu-plugins/no-rest-for-norest-host.php" <<'PHP'
<?php
if (strpos($_SERVER['HTTP_HOST'] ?? '', 'norest.test') === 0) {
    add_filter('rest_authentication_errors', function () {
        return new WP_Error('rest_disabled', 'The REST API is disabled on this site.', ['status' => 403]);
    });
}
PHP
    if [ "${WP_COMMENT_FLOOD:-on}" = off ]; then
        echo "<?php add_filter('comment_flood_filter', '__return_false', 99);" >"$WP_DIR/mu-plugins/no-flood.php"
    fi
    cat >"$WP_DIR/install.php" <<'PHP'
<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = getenv('WP_HOSTPORT'); $_SERVER['REQUEST_URI'] = '/';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Linkwright Test', 'admin', 'admin@example.test', true, '', 'admin passphrase');
update_option('permalink_structure', '/%postname%/');
$author = wp_insert_user(['user_login' => 'author1', 'user_pass' => 'author passphrase', 'user_email' => 'author1@example.test', 'role' => 'author']);
list($authorPassword,) = WP_Application_Passwords::create_new_application_password($author, ['name' => 'linkwright']);
list($adminPassword,) = WP_Application_Passwords::create_new_application_password(1, ['name' => 'moderator']);
echo "$authorPassword\n$adminPassword\n";
PHP
    WP_HOSTPORT="127.0.0.1:$WP_PORT" php -d auto_prepend_file="$WP_DIR/prepend.php" "$WP_DIR/install.php" \
        >"$WP_DIR/install.out" 2>"$WP_DIR/install.err" || { cat "$WP_DIR/install.err"; return 1; }
    WP_AUTHOR=author1
    WP_AUTHOR_APP_PASSWORD=$(sed -n 1p "$WP_DIR/install.out")
    WP_ADMIN_APP_PASSWORD=$(sed -n 2p "$WP_DIR/install.out")
    PHP_CLI_SERVER_WORKERS=4 setsid php -d auto_prepend_file="$WP_DIR/prepend.php" -S "127.0.0.1:$WP_PORT" -t /usr/share/wordpress \
        >"$WP_DIR/php-server.log" 2>&1 </dev/null &
    echo $! >"$WP_DIR/php.pid"
    for _ in $(seq 200); do curl -fs -o /dev/null "$WP_URL/wp-login.php" && break; sleep 0.05; done
    curl -fs -o /dev/null "$WP_URL/wp-json/" || { echo "WordPress did not come up on $WP_URL" >&2; return 1; }
}

stop_wordpress() {
    [ -n "${WP_DIR:-}" ] || return 0
    for pidfile in php.pid mysqld.pid; do
        [ -f "$WP_DIR/$pidfile" ] && kill -- -"$(cat "$WP_DIR/$pidfile")" 2>/dev/null
    done
    for pidfile in php.pid mysqld.pid; do
        for _ in $(seq 100); do kill -0 "$(cat "$WP_DIR/$pidfile" 2>/dev/null)" 2>/dev/null || break; sleep 0.05; done
    done
    rm -f "/etc/wordpress/config-$WP_NAME.php"
    WP_DIR=
}
