"""WebSocket routes of the live Q&A rooms."""

from django.urls import path

from events.consumers import LiveRoomConsumer

websocket_urlpatterns: list = [
    path("ws/live/<slug:slug>/", LiveRoomConsumer.as_asgi()),
]
