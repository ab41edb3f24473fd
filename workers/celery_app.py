"""The Celery app. ``celery -A workers.celery_app worker`` uses the module-level ``app``.

Broker: ``CF_BROKER_URL`` (Redis, RabbitMQ) or, unset, kombu's filesystem transport in
``CF_DATA_DIR/queue``: a real queue between processes on one machine, with no server.
"""

from __future__ import annotations

from celery import Celery

from app.settings import Settings, get_settings


def make_celery(settings: Settings) -> Celery:
    celery = Celery("factory")
    celery.conf.update(_broker_conf(settings))
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_default_queue=settings.queue_name,
    )
    celery.conf.include = ["workers.tasks", "workers.performance_tasks"]
    return celery


def _broker_conf(settings: Settings) -> dict[str, object]:
    if settings.broker_url:
        conf: dict[str, object] = {"broker_url": settings.broker_url}
        if settings.broker_url.startswith("redis"):
            # A task not acked within this window (its worker died) is handed to another worker. A publish
            # retry scheduled further out (CF_WEBHOOK_RETRY_SCHEDULE_H reaches 10 h) is handed out again each
            # hour too; the copies find the attempt not due and do nothing (app/pipeline/delivery.py), and
            # the workers' lease sweep replaces a retry message lost with its worker once it is overdue.
            conf["broker_transport_options"] = {"visibility_timeout": 3600}
        return conf
    folder = settings.queue_dir
    for sub in ("messages", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": "filesystem://",
        "broker_transport_options": {
            "data_folder_in": str(folder / "messages"), "data_folder_out": str(folder / "messages"),
            "processed_folder": str(folder / "processed"), "store_processed": False,
        },
    }


app = make_celery(get_settings())
