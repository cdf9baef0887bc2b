from flowline.identity.testing.fixtures import *  # noqa: F403
