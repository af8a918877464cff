from django.db import models


class Message(models.Model):
    """A chat message, kept so a room shows its recent history."""

    room = models.SlugField()
    author = models.CharField(max_length=150)
    text = models.TextField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]
        permissions = [("can_chat", "Can use the chat rooms")]

    def __str__(self) -> str:
        return f"{self.author} in {self.room}: {self.text[:40]}"
