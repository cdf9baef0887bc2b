from flowline.social.testing.fixtures import *  # noqa: F403
