from django.db import models


class Todo(models.Model):
    """An item of the TodoMVC example; each browser session has its own list."""

    session_key = models.CharField(max_length=40, db_index=True)
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.title
