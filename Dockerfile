# syntax=docker/dockerfile:1
# The dipwatch image: one image for every role of the compose stack (worker, publish, rss, tail).
# Stage 1 builds a virtual environment with dipwatch and its runtime dependencies only;
# stage 2 copies that environment onto a clean slim base and runs as an unprivileged user.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/dipwatch
ENV PATH=/opt/dipwatch/bin:$PATH
WORKDIR /src
# Metadata first, so that a code change does not invalidate the dependency layer.
COPY pyproject.toml README.md ./
# The dependencies alone (no dev extra): read from pyproject.toml, installed before the code.
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
      > /tmp/requirements.txt \
 && pip install --requirement /tmp/requirements.txt
COPY dipwatch ./dipwatch
COPY streams ./streams
COPY connectors ./connectors
# A regular (non-editable) install of the project itself, without the [dev] extra.
RUN pip install --no-deps . \
 && dipwatch --help >/dev/null

FROM ${PYTHON_IMAGE} AS runtime
ARG UID=10001
RUN groupadd --system --gid ${UID} dipwatch \
 && useradd --system --uid ${UID} --gid dipwatch --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin dipwatch \
 && mkdir -p /app /var/lib/dipwatch \
 && chown dipwatch:dipwatch /var/lib/dipwatch
COPY --from=build /opt/dipwatch /opt/dipwatch
COPY seeds /app/seeds
ENV PATH=/opt/dipwatch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DIPWATCH_DATA_DIR=/var/lib/dipwatch \
    DIPWATCH_WEB_HOST=0.0.0.0 \
    DIPWATCH_WEB_PORT=6066 \
    DIPWATCH_METRICS_PORT=6067
WORKDIR /app
USER ${UID}:${UID}
# 6066: the worker's web server (/metrics); 6067: /metrics of a standalone connector (dipwatch rss).
EXPOSE 6066 6067
ENTRYPOINT ["dipwatch"]
CMD ["worker"]
