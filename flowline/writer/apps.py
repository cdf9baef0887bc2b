from django.apps import AppConfig


class WriterConfig(AppConfig):
    name = "flowline.writer"
    label = "writer"
    verbose_name = "Writer"

    def ready(self) -> None:
        from flowline.jobs.public import register_finish_listener
        from flowline.writer import jobs  # registers the writer.* job kinds

        register_finish_listener(jobs.tasks_release)
        from flowline.planner.public import register_ideas_queue
        from flowline.writer.public import queue_ideas

        register_ideas_queue(queue_ideas)  # the writer owns turning ideas into tasks
