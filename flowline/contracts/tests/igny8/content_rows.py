"""003's Planner and Writer modules: keywords, clusters, ideas, tasks, content, images."""

from django.core.files.uploadedfile import SimpleUploadedFile

from flowline.contracts.tests.igny8.endpoints import TASK_STARTED, crud, in_sector, in_site
from flowline.contracts.tests.table import Row

ROWS = [
    # Planner: KeywordViewSet
    *crud(
        "/v1/planner/keywords/",
        "keyword",
        in_sector(keyword="yoga mat"),
        in_sector(keyword="yoga mats"),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/bulk_delete/",
        lambda w: {"ids": [w["keyword"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/bulk_update_status/",
        lambda w: {"ids": [w["keyword"]], "status": "active"},
        keys=("updated_count",),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/bulk_add_from_seed/",
        lambda w: {
            "seed_keyword_ids": [w["seed_keyword"]],
            "site_id": w["site"],
            "sector_id": w["sector"],
        },
        status=201,
        keys=("added_count", "keywords"),
    ),
    Row("GET", "/v1/planner/keywords/export/"),
    Row(
        "POST",
        "/v1/planner/keywords/import_keywords/",
        lambda w: {
            "file": SimpleUploadedFile("k.csv", b"keyword\nyoga retreat\n", "text/csv"),
            "sector_id": w["sector"],
        },
        fmt="multipart",
        keys=("imported_count", "errors"),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/auto_cluster/",
        lambda w: {"ids": [w["keyword"], w["keyword2"]], "sector_id": w["sector"]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ClusterViewSet
    *crud("/v1/planner/clusters/", "cluster", in_sector(name="Mats"), in_sector(name="Yoga mats")),
    Row(
        "POST",
        "/v1/planner/clusters/bulk_delete/",
        lambda w: {"ids": [w["cluster"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/planner/clusters/auto_generate_ideas/",
        lambda w: {"ids": [w["cluster"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ContentIdeasViewSet
    *crud(
        "/v1/planner/ideas/",
        "idea",
        in_sector(idea_title="Yoga mats guide"),
        in_sector(idea_title="The yoga mats guide"),
    ),
    Row(
        "POST",
        "/v1/planner/ideas/bulk_delete/",
        lambda w: {"ids": [w["idea"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/planner/ideas/bulk_queue_to_writer/",
        lambda w: {"ids": [w["idea"]]},
        status=201,
        keys=("tasks_created", "tasks"),
    ),
    # Writer: TasksViewSet
    *crud("/v1/writer/tasks/", "task", in_site(title="Yoga mats"), in_site(title="Mats")),
    Row(
        "POST",
        "/v1/writer/tasks/bulk_delete/",
        lambda w: {"ids": [w["task"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/writer/tasks/bulk_update/",
        lambda w: {"ids": [w["task"]], "status": "review"},
        keys=("updated_count",),
    ),
    Row(
        "POST",
        "/v1/writer/tasks/auto_generate_content/",
        lambda w: {"ids": [w["task"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ContentViewSet
    *crud("/v1/writer/content/", "content", in_site(title="Yoga mats"), in_site(title="Mats")),
    Row(
        "POST",
        "/v1/writer/content/generate_image_prompts/",
        lambda w: {"ids": [w["content"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ImagesViewSet
    *crud(
        "/v1/writer/images/",
        "image",
        lambda w: {"content": w["content"], "prompt": "a mat"},
        lambda w: {"content": w["content"], "prompt": "a rolled mat"},
    ),
    Row("GET", "/v1/writer/images/{image}/file/", keys=("image_url",)),
    Row(
        "GET",
        "/v1/writer/images/content_images/",
        query={"content_id": "{content}"},
        keys=("images",),
    ),
    Row(
        "POST",
        "/v1/writer/images/auto_generate/",
        lambda w: {"ids": [w["content"]]},
        keys=("success", "images_created"),
    ),
    Row(
        "POST",
        "/v1/writer/images/generate_images/",
        lambda w: {"ids": [w["image"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    Row(
        "POST",
        "/v1/writer/images/bulk_update/",
        lambda w: {"ids": [w["image"]], "status": "completed"},
        keys=("updated_count",),
    ),
]
