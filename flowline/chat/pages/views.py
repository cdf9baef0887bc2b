"""The inbox in the console, over the API's `chat/conversations/` (with `messages/`,
`mark_read/`, `unread_count/`) and `ai/chat/suggestions/`: conversations that update live
on the account room's `chat_message` events, a thread, replies with product cards, AI
reply suggestions to edit before sending, assignment and open/closed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from flowline.chat import selectors
from flowline.chat.api.views import ConversationViewSet, SuggestionsView
from flowline.chat.models import Channel, Conversation
from flowline.commerce.public import product_choices
from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page

conversations = Endpoint(ConversationViewSet, {"get": "list"})
conversation = Endpoint(ConversationViewSet, {"get": "retrieve", "patch": "partial_update"})
conversation_messages = Endpoint(ConversationViewSet, {"get": "messages", "post": "messages"})
mark_read = Endpoint(ConversationViewSet, {"post": "mark_read"})
unread_count = Endpoint(ConversationViewSet, {"get": "unread_count"})
suggest = Endpoint(SuggestionsView)

# The list's filters: query parameters the API's conversation list accepts.
LIST_FILTERS = ("status", "channel", "unread", "assigned_to", "search")
THREAD_SIZE = 50


class InboxPage(Page):
    """The conversations, most recent first, with their unread counts."""

    title = "Inbox"
    template_name = "chat/inbox.html"

    def get(self, request, *args, **kwargs):
        if request.htmx and request.htmx.target == "conversations":
            context = self.get_context_data()
            return self.response_class(
                request=request, template=["chat/conversation_list.html"], context=context
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = {k: v for k, v in self.request.GET.items() if k in LIST_FILTERS and v}
        query.update(page_size=50, ordering="-last_message_at")
        listed = conversations.call(self.request, query=query)
        context.update(
            conversations=listed.body.get("results", []),
            conversations_count=listed.body.get("count", 0),
            unread_total=(unread_count.call(self.request).data or {}).get("unread_count", 0),
            filters={k: self.request.GET.get(k, "") for k in LIST_FILTERS},
            channel_choices=Channel.choices,
            status_choices=Conversation.Status.choices,
            me=self.request.user.id,
            account_room=f"account_{self.context.account_id}",
            open_id=self.kwargs.get("pk"),
        )
        return context


class ConversationPage(InboxPage):
    """One conversation beside the list: its messages, the reply form (a product card
    may go with the reply), AI suggestions to edit before sending, assignment."""

    def get(self, request, *args, **kwargs):
        if request.htmx and request.htmx.target == "messages":
            context = {"conversation": self.stored(), "thread": self.thread(), "shell": None}
            return self.response_class(
                request=request, template=["chat/messages.html"], context=context
            )
        return super().get(request, *args, **kwargs)

    def stored(self) -> dict:
        return self.fetched(conversation, pk=self.kwargs["pk"])

    def thread(self) -> list[dict]:
        """The latest messages, oldest first (the API lists newest first)."""
        page = conversation_messages.call(
            self.request, query={"page_size": THREAD_SIZE}, pk=self.kwargs["pk"]
        )
        return list(reversed(page.body.get("results", [])))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = self.stored()
        members = selectors.assignable_members(account_id=self.context.account_id)
        context.update(
            title=stored["customer_name"] or stored["customer_handle"],
            conversation=stored,
            thread=self.thread(),
            products=product_choices(),
            members=[(user.id, user.get_full_name() or user.email) for user in members],
        )
        context.setdefault("values", {})
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        pk = self.kwargs["pk"]
        if action == "mark_read":
            mark_read.call(request, "POST", pk=pk)
            response = HttpResponse(status=204)
            response["HX-Trigger"] = "conversation-read"
            return response
        if action == "suggest":
            answer = suggest.call(request, "POST", body={"conversation_id": pk, "count": 3})
            if answer.ok:
                return self.render_to_response(
                    self.get_context_data(
                        suggestions=answer.data["suggestions"],
                        suggestions_offline=answer.data.get("offline", False),
                    )
                )
            return self.refused(answer)
        if action == "reply":
            body = {"body": request.POST.get("body", "")}
            if request.POST.get("product_id"):
                body["product_id"] = request.POST["product_id"]
            answer = conversation_messages.call(request, "POST", body=body, pk=pk)
            if not answer.ok:
                return self.refused(answer, values=body)
        elif action == "assign":
            assignee = request.POST.get("assigned_to") or None
            answer = conversation.call(request, "PATCH", body={"assigned_to": assignee}, pk=pk)
        elif action == "status":
            body = {"status": request.POST.get("status", "")}
            answer = conversation.call(request, "PATCH", body=body, pk=pk)
        else:
            return self.error_page(400, "Unknown action.")
        if not answer.ok:
            return self.refused(answer)
        if action != "reply":
            messages.success(request, answer.message or "Saved.")
        return redirect(request.path)

    def refused(self, answer: Answer, values: dict | None = None) -> HttpResponse:
        errors = answer.errors
        message = (
            answer.message if not errors else " ".join(m for msgs in errors.values() for m in msgs)
        )
        context = self.get_context_data(
            refused=message, no_credits=answer.status == 402, values=values or {}
        )
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response
