"""Django settings, driven by the environment (see README "Configuration").

Development defaults make `make demo` work with no configuration; outside debug mode every
secret must be set, and the process refuses to start otherwise (see `kit.env`).
"""

from pathlib import Path

import dj_database_url

from minzheng.kit.env import Env

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
env = Env()
VAR_DIR = Path(env.text("MINZHENG_VAR_DIR", str(PROJECT_DIR / "var")))
DEBUG = env.flag("DEBUG", default=True)

SECRET_KEY = env.secret("SECRET_KEY", debug=DEBUG)
FIELD_ENCRYPTION_KEY = env.secret("FIELD_ENCRYPTION_KEY", debug=DEBUG, kind="key")
BLIND_INDEX_KEY = env.secret("BLIND_INDEX_KEY", debug=DEBUG)
AUDIT_HMAC_KEY = env.secret("AUDIT_HMAC_KEY", debug=DEBUG)
# The test suite refuses an audit action no app declares (its events.py): every recorded action
# then has a Chinese label on the audit screen. Production records it anyway, labelled by code.
AUDIT_DECLARED_ACTIONS_ONLY = False
# The audit chain's checkpoints (audit/anchor.py): a signed line (seq, hash, time) appended to
# this file and logged on "minzheng.audit.anchor" every AUDIT_CHECKPOINT_EVERY events (0: only
# by `minzheng audit-checkpoint`, run from a timer); `audit-verify` finds a cut tail or a
# truncation against them. Make the file append-only (chattr +a) or ship the log elsewhere.
AUDIT_ANCHOR_FILE = Path(env.text("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchor.jsonl")))
AUDIT_CHECKPOINT_EVERY = env.integer("AUDIT_CHECKPOINT_EVERY", 1000)
env.refuse_if_missing()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves its own Swagger UI files for /api/docs (no CDN)
    "minzheng.kit",
    "minzheng.regions",
    "minzheng.accounts",
    "minzheng.audit",
    "minzheng.registry",
    "minzheng.rules",
    "minzheng.procedures",
    "minzheng.cases",
    "minzheng.monitoring",
    "minzheng.dashboards",
    "minzheng.targets",
    "minzheng.documents",
    "minzheng.payments",
    "minzheng.batch",
    "minzheng.keyring",
    "minzheng.backups",
    "minzheng.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "minzheng.web.middleware.SecurityHeadersMiddleware",
    "minzheng.web.middleware.MalformedRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "minzheng.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "minzheng.kit.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "minzheng.urls"
WSGI_APPLICATION = "minzheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minzheng.web.context.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL", f"sqlite:///{VAR_DIR / 'minzheng.sqlite3'}"),
        conn_max_age=env.integer("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while the demo server or a batch job writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "minzheng.accounts.passwords.ComplexityValidator"},
]

# /api/openapi.json and /api/docs: on in development, off in production unless asked for.
API_DOCS = env.flag("API_DOCS", default=DEBUG)

# Login policy (等保 2.0 level 3): lockout after repeated failures, idle timeout.
LOGIN_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env.integer("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Per client address: this many failures (any usernames) within the window stop the address
# until the window ends. Behind a reverse proxy, REMOTE_ADDR must be the client's address.
LOGIN_ADDRESS_FAILURE_LIMIT = env.integer("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_WINDOW_SECONDS = env.integer("LOGIN_ADDRESS_WINDOW_SECONDS", 15 * 60)
IDLE_TIMEOUT_SECONDS = env.integer("IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_COOKIES = env.flag("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
# A refused CSRF check: a Chinese 403 page in the site's layout (JSON for /api/).
CSRF_FAILURE_VIEW = "minzheng.web.forbidden.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.flag("BEHIND_TLS_PROXY") else None
)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LANGUAGE_CODE = "zh-hans"
# The interface is Chinese whatever the browser asks for; English exists only as message ids.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Third-party browser assets (ECharts) installed from the npm registry by `make` (pinned in
# package.json and package-lock.json); nothing is loaded from a CDN. htmx ships in django-htmx.
_ECHARTS_DIST = PROJECT_DIR / "node_modules" / "echarts" / "dist"
STATICFILES_DIRS = [("vendor/echarts", _ECHARTS_DIST)] if _ECHARTS_DIST.exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "minzheng.kit.masking.MaskSensitiveFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_pii"]},
    },
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
}

# The distributed runner (minzheng/batch/spark/): Spark's master URL (local mode on this
# machine's cores by default; e.g. spark://host:7077 or yarn on a cluster), the partitions a
# job is split into (0: twice Spark's default parallelism) and further Spark properties as
# "key=value" pairs separated by commas (spark.executor.memory=8g,spark.executor.cores=4).
SPARK_MASTER = env.text("MINZHENG_SPARK_MASTER", "local[*]")
SPARK_PARTITIONS = env.integer("MINZHENG_SPARK_PARTITIONS", 0)
SPARK_CONF = env.list("MINZHENG_SPARK_CONF", default=[])
# Spark reads the registry and the department facts from PostgreSQL itself, over JDBC, instead
# of from files the driver writes; the driver is the PostgreSQL JDBC jar (Debian's
# libpostgresql-jdbc-java), loaded whenever it is there.
SPARK_JDBC = env.flag("MINZHENG_SPARK_JDBC", False)
SPARK_JDBC_JAR = env.text("MINZHENG_SPARK_JDBC_JAR", "/usr/share/java/postgresql.jar")
