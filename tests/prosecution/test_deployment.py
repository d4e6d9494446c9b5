"""The production topology (Dockerfile, docker-compose.yml) agrees with the settings and the code.

No Docker engine is needed: the compose file and the Dockerfile are read as data, the commands they
run are resolved against the code, and the settings are loaded in subprocesses with the
environment production gives them.
"""

import importlib.util
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.conf import settings as django_settings

from prosecution.env import env_bool

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
ALL_SERVICES = ("postgres", "redis", *APP_SERVICES)
NEED_HEALTHCHECK = ("postgres", "redis", "web")
REQUIRED_ENV = {
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_DEBUG",
}
# The settings read the environment only through prosecution/env.py's typed readers.
ENV_READ = re.compile(r"""\benv_(?:str|bool|int|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
INTERPOLATION = re.compile(r"\$\{[^}]*\}")
GUNICORN_TARGET = re.compile(r"^([A-Za-z_][\w.]*):([A-Za-z_]\w*)$")
PUBLIC_HOST = "prokuror.example.kz"


def settings_env_names() -> set[str]:
    sources = [ROOT / "prosecution" / "settings.py", ROOT / "prosecution" / "env.py"]
    return {name for path in sources for name in ENV_READ.findall(path.read_text("utf-8"))}


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the KEY=value form
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def command_words(service: dict) -> list[str]:
    """The command as words, with an `sh -c` script split into its own words."""
    command = service["command"]
    items = [command] if isinstance(command, str) else command
    return [word for item in items for word in shlex.split(item)]


def option(words: list[str], *names: str) -> str:
    for index, word in enumerate(words):
        for name in names:
            if word == name:
                return words[index + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    raise AssertionError(f"none of {names} in {words}")


def gunicorn_target(words: list[str]) -> str:
    rest = words[words.index("gunicorn") + 1 :]
    return next(word for word in rest if GUNICORN_TARGET.match(word))


def mount_targets(service: dict) -> set[str]:
    targets = set()
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            targets.add(volume["target"])
        else:
            targets.add(volume.split(":")[1])
    return targets


def seconds(duration: str) -> float:
    """A compose duration such as 330s or 5m30s."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert parts, f"not a duration: {duration!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def production_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """The test process's environment without anything the settings read, plus `values`."""
    env = {key: value for key, value in os.environ.items() if key not in settings_env_names()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only; never deployed
    # var/ is created on import; keep the subprocesses out of the project's own.
    env["DJANGO_VAR_DIR"] = str(tmp_path / "var")
    env.update(values)
    return env


def test_compose_defines_postgres_redis_web_worker_and_beat(services):
    missing = set(ALL_SERVICES) - set(services)
    assert not missing, f"services missing from docker-compose.yml: {sorted(missing)}"


def test_web_worker_and_beat_run_one_image_with_one_environment(services):
    web = services["web"]
    for name in ("worker", "beat"):
        service = services[name]
        assert service.get("build") == web.get("build"), name
        assert service.get("image") == web.get("image"), name
        assert set(environment(service)) == set(environment(web)), name
        assert mount_targets(service) == mount_targets(web), name
    assert web.get("build"), "the app services must be built from the Dockerfile"


def test_the_settings_still_read_the_required_variables():
    # Guards the scan itself: if it found nothing, the next test would pass vacuously.
    missing = REQUIRED_ENV - settings_env_names()
    assert not missing, f"prosecution/settings.py no longer reads {sorted(missing)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_variable_an_app_service_sets_is_read_by_the_settings(services, name):
    unread = set(environment(services[name])) - settings_env_names()
    assert not unread, f"{name} sets variables the settings never read: {sorted(unread)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_set_every_required_variable(services, name):
    missing = REQUIRED_ENV - set(environment(services[name]))
    assert not missing, f"{name} does not set {sorted(missing)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_with_debug_off_and_no_default_secret(services, name, monkeypatch):
    env = environment(services[name])
    monkeypatch.setenv("DJANGO_DEBUG", env["DJANGO_DEBUG"])
    assert env_bool("DJANGO_DEBUG", True) is False
    # ${NAME:?message}: compose refuses to start while the operator has not set it.
    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]*\}", env["DJANGO_SECRET_KEY"])
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]


def test_postgres_password_has_no_default(services):
    password = environment(services["postgres"])["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", password)


def test_backing_service_urls_name_the_compose_services(services):
    env = environment(services["web"])
    urls = {key: urlsplit(INTERPOLATION.sub("x", env[key])) for key in ("DATABASE_URL",)}
    urls |= {key: urlsplit(env[key]) for key in ("CELERY_BROKER_URL", "REDIS_URL")}
    assert urls["DATABASE_URL"].scheme == "postgres"
    assert urls["DATABASE_URL"].hostname == "postgres"
    assert urls["CELERY_BROKER_URL"].scheme == urls["REDIS_URL"].scheme == "redis"
    assert urls["CELERY_BROKER_URL"].hostname == urls["REDIS_URL"].hostname == "redis"
    # One Redis, two databases: clearing the cache must never drop queued tasks.
    assert urls["CELERY_BROKER_URL"].path != urls["REDIS_URL"].path
    for url in urls.values():
        assert url.hostname in services


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_commands_name_the_project_celery_app(services, name, subcommand):
    words = command_words(services[name])
    assert words[0] == "celery"
    assert subcommand in words
    module = option(words, "-A", "--app")
    assert module == "prosecution"
    assert importlib.util.find_spec(module) is not None
    app = find_app(module)  # what `celery -A` itself resolves
    assert isinstance(app, Celery)
    assert app.main == "prosecution"


def test_files_the_app_writes_live_on_the_shared_volume(services):
    var_dir = environment(services["web"])["DJANGO_VAR_DIR"]
    assert var_dir in mount_targets(services["web"])
    schedule = option(command_words(services["beat"]), "--schedule", "-s")
    assert Path(schedule).parent == Path(var_dir)


def test_web_migrates_then_serves_the_wsgi_application_of_the_settings(services):
    words = command_words(services["web"])
    assert "migrate" in words and "--noinput" in words
    assert words.index("migrate") < words.index("gunicorn")
    module, attribute = GUNICORN_TARGET.match(gunicorn_target(words)).groups()
    assert importlib.util.find_spec(module) is not None
    assert f"{module}.{attribute}" == django_settings.WSGI_APPLICATION
    assert option(words, "--bind", "-b").endswith(":8000")


def test_stateful_services_and_web_report_their_health(services):
    # One test, not parametrized: tests/conftest.py skips any test with a "postgres" keyword,
    # and a parameter id counts as one.
    for name in NEED_HEALTHCHECK:
        healthcheck = services[name].get("healthcheck") or {}
        assert not healthcheck.get("disable"), f"{name} has its healthcheck disabled"
        assert healthcheck.get("test"), f"{name} has no healthcheck"


def test_every_dependency_waits_until_the_other_service_is_healthy(services):
    for name, service in services.items():
        depends_on = service.get("depends_on") or {}
        # The short (list) form only waits for the container to start.
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for dependency, spec in depends_on.items():
            assert spec.get("condition") == "service_healthy", f"{name} -> {dependency}"
            assert services[dependency].get("healthcheck"), f"{dependency} has no healthcheck"
    for name in APP_SERVICES:
        assert {"postgres", "redis"} <= set(services[name]["depends_on"]), name
    for name in ("worker", "beat"):
        # web runs the migrations; no task may run against the old schema.
        assert "web" in services[name]["depends_on"], name


def test_web_healthcheck_request_gets_the_page_from_production_settings(
    services, monkeypatch, settings, client
):
    kind, program, flag, script = services["web"]["healthcheck"]["test"]
    assert (kind, program, flag) == ("CMD", "python", "-c")
    sent = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, **kwargs: sent.append(request))
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", f"{PUBLIC_HOST},www.{PUBLIC_HOST}")
    exec(compile(script, "<web healthcheck>", "exec"), {})
    (request,) = sent
    url = urlsplit(request.full_url)
    assert (url.hostname, url.port) == ("127.0.0.1", 8000)

    settings.ALLOWED_HOSTS = [PUBLIC_HOST, f"www.{PUBLIC_HOST}"]
    settings.SECURE_SSL_REDIRECT = True  # as in production; tests/conftest.py turns it off
    response = client.get(url.path or "/", headers=dict(request.header_items()))
    assert response.status_code == 200


def test_worker_shutdown_grace_outlasts_the_hard_task_time_limit(services):
    grace = services["worker"].get("stop_grace_period", "10s")
    assert seconds(grace) > django_settings.TASK_HARD_TIME_LIMIT


def test_image_copies_every_package_and_directory_the_project_needs():
    copied = set()
    for keyword, arguments in dockerfile_instructions():
        if keyword == "COPY" and not arguments.startswith("--from"):
            copied |= {Path(source).as_posix() for source in arguments.split()[:-1]}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*").rstrip(".") for pattern in patterns}
    base = Path(django_settings.BASE_DIR)
    directories = [
        *django_settings.TEMPLATES[0]["DIRS"],
        *django_settings.STATICFILES_DIRS,
        *django_settings.LOCALE_PATHS,
    ]
    needed = packages | {"manage.py", "pyproject.toml"}
    needed |= {Path(directory).relative_to(base).as_posix() for directory in directories}
    missing = needed - copied
    assert not missing, f"the Dockerfile does not copy {sorted(missing)}"


def test_image_serves_the_wsgi_application_as_an_unprivileged_user(services):
    instructions = dockerfile_instructions()
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert ("EXPOSE", "8000") in instructions
    cmd = json.loads([arguments for keyword, arguments in instructions if keyword == "CMD"][-1])
    assert cmd[0] == "gunicorn"
    assert gunicorn_target(cmd) == gunicorn_target(command_words(services["web"]))


def test_deploy_check_passes_with_production_settings(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=PUBLIC_HOST,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    print(result.stdout)
    print(result.stderr, file=sys.stderr)
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize(
    "secret",
    [None, "", "too-short-to-be-a-real-secret"],
    ids=["unset", "empty", "short"],
)
def test_settings_refuse_to_load_without_a_real_secret_when_debug_is_off(tmp_path, secret):
    env = production_env(tmp_path, DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS=PUBLIC_HOST)
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    result = subprocess.run(
        [sys.executable, "-c", "import prosecution.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr, result.stderr


# --- the reverse proxy (deploy/nginx.conf) ------------------------------------------------------


def nginx_directives(text: str) -> dict[str, list[str]]:
    """Each directive of an nginx configuration with the values it is given, comments left out."""
    found: dict[str, list[str]] = {}
    for statement in re.sub(r"#[^\n]*", "", text).replace("{", ";").replace("}", ";").split(";"):
        words = statement.split()
        if words:
            found.setdefault(words[0], []).append(" ".join(words[1:]))
    return found


@pytest.fixture(scope="module")
def proxy_conf() -> dict[str, list[str]]:
    return nginx_directives((ROOT / "deploy" / "nginx.conf").read_text("utf-8"))


def test_the_proxy_refuses_a_body_larger_than_the_app_takes(services, proxy_conf):
    """Issue 14: a 100 MB upload was read to a temporary file before the app's refusal. The proxy
    refuses what the app would (settings.REQUEST_MAX_BYTES) before it reaches gunicorn, and the
    app services keep the upload cap the proxy was sized for."""
    [limit] = proxy_conf["client_max_body_size"]
    assert int(limit) == django_settings.REQUEST_MAX_BYTES
    assert django_settings.REQUEST_MAX_BYTES == (
        django_settings.UPLOAD_MAX_BYTES * django_settings.UPLOAD_MAX_FILES
        + django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    for name in APP_SERVICES:
        assert "PROSECUTION_UPLOAD_MAX_MB" not in environment(services[name]), name


def test_the_proxy_stands_in_front_of_web_with_this_configuration(services, proxy_conf):
    proxy = services["proxy"]
    assert any(
        volume.split(":")[:2] == ["./deploy/nginx.conf", "/etc/nginx/conf.d/default.conf"]
        for volume in proxy["volumes"]
    )
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert [v for v in proxy_conf["server"] if v] == ["web:8000"]  # the upstream: gunicorn
    assert proxy_conf["proxy_pass"] == ["http://prosecution_web"]
    # The web port is not published to the world: the loopback only, for the operator.
    assert all(port.startswith("127.0.0.1:") for port in services["web"].get("ports", []))


def test_the_proxy_overwrites_what_the_app_trusts(services, proxy_conf):
    """The settings trust X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) and, behind one trusted
    proxy, the last hop of X-Forwarded-For; a client's own X-Request-ID is never passed on."""
    headers = dict(value.split(None, 1) for value in proxy_conf["proxy_set_header"])
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Request-ID"] == "$request_id"
    assert headers["Host"] == "$host"
    for name in APP_SERVICES:
        assert environment(services[name])["PROSECUTION_TRUSTED_PROXIES"] == "1", name
