from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Message",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("room", models.SlugField()),
                ("author", models.CharField(max_length=150)),
                ("text", models.TextField(max_length=2000)),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["created"], "permissions": [("can_chat", "Can use the chat rooms")]},
        ),
    ]
