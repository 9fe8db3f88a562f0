"""Fixtures for webhook tests: two platforms with staff, and a real local HTTP receiver."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from knowledge.models import OpenResource, Platform, Subdomain
from webhooks.models import WebhookEndpoint


@pytest.fixture
def platforms(db, make_user, django_capture_on_commit_callbacks):
    driving = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Driving",
    )
    voice = Subdomain.objects.create(
        slug="intelligent-voice", name_zh_hans="智能语音", name_zh_hant="智能語音", name_en="Voice"
    )
    baidu = Platform.objects.create(
        slug="baidu",
        subdomain=driving,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )
    iflytek = Platform.objects.create(
        slug="iflytek",
        subdomain=voice,
        name_zh_hans="科大讯飞",
        name_zh_hant="科大訊飛",
        name_en="iFLYTEK",
        year_designated=2017,
    )
    baidu_staff, iflytek_staff = make_user("baidu_staff"), make_user("iflytek_staff")
    baidu.staff.add(baidu_staff)
    iflytek.staff.add(iflytek_staff)
    with django_capture_on_commit_callbacks(execute=True):  # as if committed before the test
        apollo = OpenResource.objects.create(
            platform=baidu, slug="apollo", name="Apollo", kind="toolkit"
        )
    return {
        "baidu": baidu,
        "iflytek": iflytek,
        "baidu_staff": baidu_staff,
        "iflytek_staff": iflytek_staff,
        "apollo": apollo,
    }


@pytest.fixture
def allow_local(settings):
    """Let endpoints point at the test receiver on http://127.0.0.1."""
    settings.WEBHOOKS = {
        **settings.WEBHOOKS,
        "ALLOW_HTTP": True,
        "ALLOW_PRIVATE_ADDRESSES": True,
        "TIMEOUT": 2,
    }


class Receiver:
    """A real HTTP server in a thread that records requests and answers from a script."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # answered in order; 200 once exhausted
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                reply = json.dumps({"received": len(receiver.requests)}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/huiju"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def endpoint(platforms, receiver, allow_local):
    """An active Baidu endpoint at the local receiver, subscribed to every event."""
    return WebhookEndpoint.objects.create(
        platform=platforms["baidu"],
        url=receiver.url,
        events=[
            "question.about_resource",
            "answer.accepted",
            "live.registration",
            "resource.updated",
        ],
    )
