"""The channel layer the live rooms fan out through, as configured from the environment."""

from tests.core.test_settings import PRODUCTION_ENV, probe


def test_list_layer_can_be_chosen_instead_of_pubsub():
    values = probe({**PRODUCTION_ENV, "CHANNEL_LAYER": "list"})
    assert values["layer"] == "channels_redis.core.RedisChannelLayer"


def test_the_asgi_server_hands_the_gil_over_often():
    """config.asgi shortens the GIL switch interval (write threads vs. a broadcasting loop)."""
    import sys

    import pytest

    import config.asgi  # noqa: F401

    assert sys.getswitchinterval() == pytest.approx(0.0005)
