from flowline.drives.testing.fixtures import *  # noqa: F403
