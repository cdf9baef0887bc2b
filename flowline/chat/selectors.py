"""Reads of chat: the inbox's conversations, a conversation's messages, who may be
assigned one."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from flowline.chat.models import Conversation, Message
from flowline.core import tenancy
from flowline.core.errors import NotFoundError


def conversations_for_list(queryset: QuerySet, *, unread_only: bool) -> QuerySet:
    """The inbox, only the conversations with unread messages when `unread_only`."""
    return queryset.filter(unread_count__gt=0) if unread_only else queryset


def unread_total(queryset: QuerySet) -> int:
    """Unread messages summed over the conversations (the inbox badge)."""
    return queryset.aggregate(total=Sum("unread_count"))["total"] or 0


def conversation_get(*, conversation_id: int) -> Conversation:
    """A conversation of the active account, or a 404."""
    conversation = Conversation.objects.filter(id=conversation_id).first()
    if conversation is None:
        raise NotFoundError("Conversation not found.")
    return conversation


def messages_of(*, conversation: Conversation) -> QuerySet:
    """The conversation's messages, newest first (the model's order)."""
    return Message.objects.filter(conversation=conversation)


def assignable_members(*, account_id: int) -> QuerySet:
    """The account's members a conversation can be assigned to, by email."""
    return tenancy.member_users(account_id).order_by("email")
