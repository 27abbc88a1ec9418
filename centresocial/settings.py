"""Settings of centresocial, read from the environment (see README, « Configuration »)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY doit être défini dans l'environnement quand DEBUG est désactivé."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS (`manage.py check --deploy` answers 0 warnings in production). Production serves over
# HTTPS only; HTTPS=0 is for a local run without DEBUG (benchmarks, tests) over plain HTTP.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For
# (see README): trust them, and only then.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 12 * 3600))
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "centresocial",
    "projets",
    "partenaires",
    "actions",
    "evaluation",
    "dossier",
    "importation",
    "portail",
    "federation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "centresocial.comptes.middleware.DoubleAuthentificationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "centresocial.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "centresocial.wsgi.application"
ASGI_APPLICATION = "centresocial.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write to one file (gunicorn or runserver, db_worker). WAL: readers never
    # block the writer. A transaction takes the write lock when it begins (IMMEDIATE), so two that
    # read then write cannot deadlock, which SQLite answers at once with « database is locked »;
    # and a writer waits up to 20 s for the lock instead of the 5 s default.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # CNIL, délibération n° 2022-100: about 80 bits of entropy when the password is the only factor.
    {"NAME": "centresocial.comptes.validators.RecommandationCNILValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id first; a password stored with PBKDF2 (before this setting) is rehashed at its next login.
PASSWORD_HASHERS = [
    "centresocial.comptes.hachage.Argon2idOWASP",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts on one account, or from
# one address, that account or address waits AXES_COOLOFF_MINUTES (CNIL: « temporisation »).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "centresocial.comptes.securite.adresse_client"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "centresocial.comptes.views.verrouillage"
AXES_VERBOSE = False

# Two-factor authentication (TOTP, django-otp): anyone may turn it on; with
# DOUBLE_AUTHENTIFICATION_OBLIGATOIRE=1, direction and admin accounts must.
DOUBLE_AUTHENTIFICATION_OBLIGATOIRE = env_bool("DOUBLE_AUTHENTIFICATION_OBLIGATOIRE")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "centresocial")
# Not even the admin sees a person's TOTP secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Uploaded files (logos, section images, justificatifs, bilan files): in MEDIA_ROOT, or in an
# S3-compatible object storage when S3_BUCKET is set, so that several servers share them. Either
# way they are read through the storage API and downloaded through the views that check access
# (never a public or signed URL of the bucket). README, « Plusieurs serveurs ».


def stockage_s3(env):
    """The file storage in an S3-compatible object storage, from the S3_* variables of `env`."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["S3_BUCKET"],
            "endpoint_url": env.get("S3_ENDPOINT_URL") or None,
            "region_name": env.get("S3_REGION") or None,
            "access_key": env.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": env.get("S3_SECRET_ACCESS_KEY") or None,
            "location": env.get("S3_PREFIX", ""),
            # Two uploads under one name never replace each other (like the local folder).
            "file_overwrite": False,
            # The bucket's own policy (private); some S3 servers have no ACLs at all.
            "default_acl": None,
            "client_config": Config(
                # « path » for the servers without a sub-domain per bucket (Garage, MinIO).
                s3={"addressing_style": env.get("S3_ADDRESSING_STYLE") or None},
                # Checksums only where S3 requires them: servers that speak S3 without being
                # AWS (Garage, MinIO, some French hosts') refuse boto3's newer default ones.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        },
    }


if os.environ.get("S3_BUCKET"):
    STOCKAGE_FICHIERS = stockage_s3(os.environ)
else:
    STOCKAGE_FICHIERS = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": STOCKAGE_FICHIERS,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A cache shared by every server and worker when REDIS_URL is set (redis://hote:6379/0);
# otherwise each process keeps its own, in memory. (Sessions and the login throttling live in
# the database, so they are shared either way.)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "centresocial"),
        }
    }

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "centresocial@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address, for the links of e-mails sent without a request (the reminders of
# `manage.py rappels_renouvellement`, the weekly digest, run by cron): by default the first
# trusted origin.
SITE_URL = os.environ.get(
    "SITE_URL", (CSRF_TRUSTED_ORIGINS or ["http://localhost:8000"])[0]
).rstrip("/")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")

# Historique: who changed what in a projet's content (django-auditlog).
AUDITLOG_INCLUDE_ALL_MODELS = False

# Background jobs (the dossier PDF export): stored in the database, run by
# `manage.py db_worker` (started by `make run`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# A running dossier export without a sign of life from its worker for this long is shown as
# interrupted, and the next live worker takes it up again (projets/dossier/taches.py).
EXPORT_DOSSIER_DELAI_BATTEMENT = int(os.environ.get("EXPORT_DOSSIER_DELAI_BATTEMENT", 30))
# The dossier export assembled from its parts, each kept between exports (dossier/assemblage.py),
# rendered in DOSSIER_PROCESSUS processes (on by default); off (DOSSIER_PAR_PARTIES=0): the
# one-piece render.
DOSSIER_PAR_PARTIES = env_bool("DOSSIER_PAR_PARTIES", True)
DOSSIER_PROCESSUS = int(os.environ.get("DOSSIER_PROCESSUS", 2))

# Content Security Policy (django-csp) on every response: our own scripts, styles, fonts and images
# only (Bootstrap and htmx are served from static/); no inline script, no inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form icons with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Inputs never carry `maxlength` (a browser cuts a pasted text there without a word): see
# centresocial/lib/formulaires.py.
FORM_RENDERER = "centresocial.lib.formulaires.Rendu"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
