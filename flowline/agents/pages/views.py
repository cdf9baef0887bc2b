"""Agents in the console, over the same API views as any client (`agents/processes/`,
`agent/control/`, `config/update/`, `datasources/`, `agent/matches/`, the drives'
`drive/files/`): the processes, a new process, and one process's page with its
configuration, data sources, live run and matches (downloadable as CSV)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from flowline.agents import events, selectors
from flowline.agents.api import views as api
from flowline.agents.models import AgentProcess
from flowline.ai.api.automations import AIAgentViewSet, AIModelViewSet
from flowline.core.pages.api import Endpoint
from flowline.core.pages.lists import Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.drives.api.views import ConnectInitView, DriveFilesView, OneDriveFilesView
from flowline.drives.pages import views as drive_pages
from flowline.jobs.pages.follow import job_detail
from flowline.realtime.public import room_history

processes = Endpoint(api.ProcessViewSet, {"get": "list"})
process_detail = Endpoint(api.ProcessViewSet, {"get": "retrieve"})
process_create = Endpoint(api.ProcessViewSet, {"post": "create"})
agent_create = Endpoint(AIAgentViewSet, {"post": "create"})
agent_detail = Endpoint(AIAgentViewSet, {"get": "retrieve"})
chat_models = Endpoint(AIModelViewSet, {"get": "list"})
status = Endpoint(api.StatusView)
control = Endpoint(api.ControlView)
config_model = Endpoint(api.ConfigModelView)
config_update = Endpoint(api.ConfigUpdateView)
connection_emails = Endpoint(api.ConnectionEmailsView)
matches = Endpoint(api.MatchesView)
sources = Endpoint(api.DataSourceViewSet, {"get": "list"})
source_create = Endpoint(api.DataSourceViewSet, {"post": "create"})
source_delete = Endpoint(api.DataSourceViewSet, {"delete": "destroy"})
DRIVES = {
    "google_drive": ("Google Drive", Endpoint(DriveFilesView)),
    "onedrive": ("OneDrive", Endpoint(OneDriveFilesView)),
}
connect_init = Endpoint(ConnectInitView)

STAGES = [
    ("extract", "Extract", "Download each data source"),
    ("load", "Load", "Read its rows or text"),
    ("transform", "Transform", "The model reads them with the instructions"),
    ("done", "Done", "Matches stored"),
]
# What the process's status lets one ask (the API would accept the others, doing nothing).
CONTROLS = {
    "idle": ("start",),
    "stopped": ("start",),
    "paused": ("start", "stop"),
    "active": ("pause", "stop"),
}


def _emails(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace(";", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


class ProcessListPage(ListPage):
    title = "Agents"
    endpoint = processes
    columns = [
        Column("name", "Process", sort="name", link=True),
        Column("status", "Status", cell="pages/cells/status.html"),
        Column("execution_mode", "Runs"),
        Column("last_run_at", "Last run", cell="pages/cells/date.html"),
    ]
    filters = [
        Filter(
            "status",
            "Status",
            [("idle", "Idle"), ("active", "Active"), ("paused", "Paused"), ("stopped", "Stopped")],
        ),
    ]
    row_url_name = "console-agent"
    create_url_name = "console-agent-new"
    create_label = "New process"
    empty_heading = "No agent processes yet"
    empty_text = (
        "A process runs an AI agent over your files (CSV, XLSX, PDF, text) and keeps what it finds."
    )


class ProcessCreatePage(Page):
    """A new process with its agent: the agent holds the instructions, the process the runs."""

    title = "New agent process"
    template_name = "agents/new.html"

    def post(self, request, *args, **kwargs):
        values = {
            name: request.POST.get(name, "").strip()
            for name in ("name", "instructions", "description")
        }
        agent = agent_create.call(
            request, "POST", body={"name": values["name"], "instructions": values["instructions"]}
        )
        if agent.ok:
            created = process_create.call(
                request,
                "POST",
                body={
                    "agent": agent.data["id"],
                    "name": values["name"],
                    "description": values["description"],
                },
            )
            if created.ok:
                messages.success(request, "Process created. Add a data source, then start it.")
                return redirect("console-agent", pk=created.data["id"])
            agent = created
        context = self.get_context_data(values=values, errors=agent.errors, refused=agent.message)
        return self.render_to_response(context, status=agent.status if agent.status < 500 else 400)


class ProcessPage(Page):
    """One process: controls, the live run, data sources, configuration and matches."""

    template_name = "agents/process.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.kwargs["pk"]
        answer = process_detail.call(self.request, pk=pk)
        if not answer.ok:
            raise Http404(answer.message)
        process = answer.data
        room = events.room(pk)
        # The stream's last event id is read before the run's rows: what happens in between
        # comes again by replay after the id, and restates the same state.
        last_event_id, history = room_history(room, ("agent_action",))
        state = status.call(self.request, query={"agent_id": pk}).data
        run = state["run"]
        files = selectors.run_files(run=selectors.run_latest(process_id=pk)) if run else []
        query = {"agent_id": pk}
        context.update(
            title=process["name"],
            process=process,
            agent=agent_detail.call(self.request, pk=process["agent"]).data,
            room=room,
            last_event_id=last_event_id,
            stream=[item for item in history if run and item.get("run_id") == run["id"]],
            run=run,
            next_run_at=state["next_run_at"],
            stages=[
                {
                    "key": key,
                    "label": label,
                    "help": text,
                    **(run["pipeline"].get(key, {}) if run else {}),
                }
                for key, label, text in STAGES
            ],
            tasks=[
                {"filename": f.filename, "job": job_detail.call(self.request, pk=f.job_id).data}
                for f in files
                if f.job_id
            ],
            controls=CONTROLS.get(process["status"], ("start",)),
            sources=sources.call(self.request, query={"process_id": pk, "page_size": 100}).body.get(
                "results", []
            ),
            models=chat_models.call(
                self.request, query={"purpose": "chat", "page_size": 100}
            ).body.get("results", []),
            connection_emails=connection_emails.call(self.request, query=query).data["emails"],
            matches=matches.call(self.request, query={**query, "page_size": 10}).body,
            drive=self.drive_listing(),
            # What a file's task shows before its first event (the page's script clones it).
            blank_task={
                "id": "",
                "status": "queued",
                "progress": 0,
                "message": "",
                "phase": "",
                "error": "",
            },
            modes=AgentProcess.Mode.choices,
            interval_minutes=(process["schedule_interval_seconds"] or 0) // 60 or "",
        )
        return context

    def drive_listing(self) -> dict | None:
        """The picked drive's folder (`?drive=google_drive&folder=`), or why it cannot be read."""
        provider = self.request.GET.get("drive", "")
        if provider not in DRIVES:
            return None
        label, endpoint = DRIVES[provider]
        query = {"page_size": 100}
        if self.request.GET.get("folder"):
            query["folder_id"] = self.request.GET["folder"]
        answer = endpoint.call(self.request, query=query)
        return {
            "provider": provider,
            "label": label,
            "folder": self.request.GET.get("folder", ""),
            "files": answer.body.get("results", []) if answer.ok else [],
            "not_connected": answer.code == "drive_not_connected",
            "error": "" if answer.ok else answer.message,
        }

    def post(self, request, *args, **kwargs):
        pk = self.kwargs["pk"]
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        answer, done = handler(request, pk) if handler else (None, "")
        if isinstance(answer, str):  # a drive's consent page, then back here
            provider = request.POST.get("platform", "")
            drive = urlencode({"drive": provider})
            back = f"{reverse('console-agent', args=[pk])}?{drive}#agent-sources"
            return drive_pages.redirect_to_consent(request, answer, return_to=back)
        if answer is not None and answer.ok:
            messages.success(request, done or answer.message)
            return redirect("console-agent", pk=pk)
        context = self.get_context_data(
            refused=answer.message if answer is not None else "Unknown action.",
            no_credits=answer is not None and answer.status == 402,
            errors=answer.errors if answer is not None else {},
        )
        response = self.render_to_response(context)
        response.status_code = answer.status if answer is not None and answer.status < 500 else 400
        return response

    # Each action answers (the API's Answer, the message to show when it succeeded).

    def do_start(self, request, pk):
        return control.call(request, "POST", body={"agent_id": pk, "action": "start"}), ""

    def do_pause(self, request, pk):
        return control.call(request, "POST", body={"agent_id": pk, "action": "pause"}), ""

    def do_stop(self, request, pk):
        return control.call(request, "POST", body={"agent_id": pk, "action": "stop"}), ""

    def do_configure(self, request, pk):
        post = request.POST
        body = {
            "agent_id": pk,
            "execution_mode": post.get("execution_mode", "manual"),
            "notification_emails": _emails(post.get("notification_emails", "")),
        }
        minutes = post.get("interval_minutes", "").strip()
        if minutes:
            body["schedule"] = {"interval_minutes": minutes}
        answer = config_update.call(request, "POST", body=body)
        if answer.ok and post.get("model"):
            body = {"agent_id": pk, "model": post["model"]}
            answer = config_model.call(request, "POST", body=body)
        if answer.ok:
            emails = {"agent_id": pk, "emails": _emails(post.get("connection_emails", ""))}
            answer = connection_emails.call(request, "POST", body=emails)
        return answer, "Configuration saved."

    def do_upload(self, request, pk):
        upload = request.FILES.get("upload")
        body = {"process_id": pk, "platform": "upload"}
        files = {"upload": upload} if upload else None
        answer = source_create.call(request, "POST", body=body, files=files)
        return answer, f"{(answer.data or {}).get('resource_name', 'The file')} added."

    def do_pick(self, request, pk):
        body = {
            "process_id": pk,
            "platform": request.POST.get("platform", ""),
            "resource_identifier": request.POST.get("file_id", ""),
            "resource_name": request.POST.get("file_name", ""),
        }
        return source_create.call(request, "POST", body=body), f"{body['resource_name']} added."

    def do_remove_source(self, request, pk):
        answer = source_delete.call(request, "DELETE", pk=request.POST.get("source_id", ""))
        return answer, "Data source removed."

    def do_connect_drive(self, request, pk):
        """To the drive's consent page; the drive's OAuth comes back to this page."""
        answer = connect_init.call(request, "POST", provider=request.POST.get("platform", ""))
        return (answer.data["authorization_url"] if answer.ok else answer), ""


class MatchesCsvPage(Page):
    """Every match of a process as CSV: one column per field the matches hold."""

    def get(self, request, *args, **kwargs):
        pk = kwargs["pk"]
        if not process_detail.call(request, pk=pk).ok:
            raise Http404("Agent not found.")
        rows = list(selectors.matches_for_export(process_id=pk))
        fields = list(dict.fromkeys(key for row in rows for key in (row.data or {})))
        header = ["file", "row", *fields, "evidence", "found_at"]

        def lines():
            echo = _Echo()
            writer = csv.writer(echo)
            yield writer.writerow(header)
            for row in rows:
                data = row.data or {}
                yield writer.writerow(
                    [
                        row.run_file.filename,
                        "" if row.source_index is None else row.source_index + 1,
                        *[data.get(name, "") for name in fields],
                        row.evidence,
                        row.created_at.isoformat(),
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agent-{pk}-matches.csv"'
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value
