"""Create (or reset) the demo user, who may use the chat rooms: ``manage.py create_demo_user``."""

from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand

USERNAME = PASSWORD = "demo"


class Command(BaseCommand):
    help = "Create the demo user (demo/demo) with the chat.can_chat permission."

    def handle(self, *args, **options):
        user, created = User.objects.get_or_create(username=USERNAME)
        user.set_password(PASSWORD)
        user.save()
        user.user_permissions.add(Permission.objects.get(content_type__app_label="chat", codename="can_chat"))
        self.stdout.write(f"{'Created' if created else 'Updated'} the demo user: {USERNAME} / {PASSWORD}")
