# The image compose.yaml runs: the code and its locked dependencies in /app/.venv, so the
# Procfile's commands (.venv/bin/...) run unchanged.
FROM python:3.11-slim
WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements/base.lock
COPY . .
RUN useradd --system flowline && mkdir -p /app/var && chown flowline /app/var
USER flowline
ENV FLOWLINE_VAR_DIR=/app/var
