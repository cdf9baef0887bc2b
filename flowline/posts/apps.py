from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "flowline.posts"
    label = "posts"
    verbose_name = "Posts"
