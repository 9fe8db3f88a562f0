"""The channel layer the live rooms fan out through, as configured from the environment."""

from tests.core.test_settings import PRODUCTION_ENV, probe


def test_list_layer_can_be_chosen_instead_of_pubsub():
    values = probe({**PRODUCTION_ENV, "CHANNEL_LAYER": "list"})
    assert values["layer"] == "channels_redis.core.RedisChannelLayer"
