"""WebSocket routes of every app, collected in one place."""

from events.routing import websocket_urlpatterns as events_websocket_urlpatterns

websocket_urlpatterns = [*events_websocket_urlpatterns]
