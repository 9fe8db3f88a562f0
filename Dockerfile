# Huiju web image: uvicorn serving HTTP and WebSockets (config.asgi).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app
WORKDIR /app

COPY pyproject.toml README.md ./
COPY config ./config
COPY core ./core
COPY accounts ./accounts
COPY community ./community
COPY knowledge ./knowledge
COPY search ./search
COPY events ./events
RUN pip install --no-cache-dir .

COPY . .
# collectstatic needs settings; a throw-away key is fine for this build step only.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 huiju && mkdir -p /app/var && chown -R huiju /app/var
USER huiju

EXPOSE 8000
# uvicorn: websockets-sansio WebSockets without per-message deflate (a live room writes
# each broadcast to every socket; compressing it once per connection costs more CPU than
# the small JSON frames save), uvloop and httptools. WEB_CONCURRENCY sets the number of
# worker processes (one per core); each subscribes once to a room's Redis channel.
# Proxy headers are trusted from FORWARDED_ALLOW_IPS (uvicorn's default: 127.0.0.1).
ENV WEB_CONCURRENCY=2
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", \
     "--ws", "websockets-sansio", "--ws-per-message-deflate", "false", \
     "--loop", "uvloop", "--http", "httptools", "--lifespan", "off", "--proxy-headers"]
