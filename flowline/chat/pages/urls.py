from django.urls import path

from flowline.chat.pages import views
from flowline.core.pages import nav

nav.register(
    nav.NavItem(
        "Commerce",
        "Inbox",
        "console-inbox",
        "chat-dots",
        order=30,
        matches=("console-conversation",),
    )
)

urlpatterns = [
    path("chat/", views.InboxPage.as_view(), name="console-inbox"),
    # No trailing slash: the address the `new_message` notifications link to.
    path(
        "chat/conversations/<int:pk>", views.ConversationPage.as_view(), name="console-conversation"
    ),
]
