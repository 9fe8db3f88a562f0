# Huiju web image: Daphne serving HTTP and WebSockets (config.asgi).
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
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "config.asgi:application"]
