"""gunicorn configuration: `gunicorn -c portal/gunicorn.py portal.wsgi` (see `make serve`)."""

import os

import gunicorn.http.wsgi

from portal.logs import gunicorn_logger_class

# The `Server` header names no software (nor its version) to whoever probes the site.
gunicorn.http.wsgi.SERVER = "web"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes, not threads: each holds its own database connection (persistent on PostgreSQL).
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that no slow leak can grow for months.
max_requests = 5000
max_requests_jitter = 500
# The proxy in front sets X-Forwarded-For/Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# No client address (the proxy's log has it) and the path with tokens masked.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
logger_class = gunicorn_logger_class()
