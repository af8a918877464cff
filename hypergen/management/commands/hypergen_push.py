"""Send client commands to a websocket group from the command line, a cron job or a deploy script.

manage.py hypergen_push --group vip_group '[["hypergen.append", "messages", "<li>Hello</li>"]]'
manage.py hypergen_push --consumer chat:send_message --kwarg room_name=lobby '[["hypergen.reload"]]'
"""

import json

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.management.base import BaseCommand, CommandError
from django.urls import Resolver404, resolve, reverse

from hypergen.routing import view_info
from hypergen.websocket import Group, push


class Command(BaseCommand):
    help = "Send client commands (a JSON list) to every socket of a Hypergen websocket group."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--group", help="a group name, as given to @consumer(group_name=...)")
        target.add_argument("--consumer", help="a consumer's URL name, e.g. chat:send_message")
        parser.add_argument("--kwarg", action="append", default=[], help="a URL kwarg of the consumer: name=value")
        parser.add_argument("commands", help='a JSON list of commands: [["hypergen.append", "id", "<li>x</li>"]]')

    def handle(self, *args, **options):
        if isinstance(get_channel_layer(), InMemoryChannelLayer):
            raise CommandError(
                "The channel layer is the in-memory one (no REDIS_URL or CHANNEL_LAYERS setting): it lives inside "
                "the server process, so a command cannot reach its sockets. Set REDIS_URL (e.g. "
                "redis://localhost:6379/0) or CHANNEL_LAYERS to a channels_redis layer, for the server and here."
            )
        try:
            commands = json.loads(options["commands"])
        except ValueError as error:
            raise CommandError(f"The commands are not valid JSON: {error}") from error
        if options["group"]:
            target = Group(options["group"])
        else:
            target = self._consumer_group(options["consumer"], options["kwarg"])
        try:
            push(target, commands)
        except TypeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sent {len(commands)} command(s) to {target!r}.")

    def _consumer_group(self, url_name, kwarg_options):
        kwargs = {}
        for option in kwarg_options:
            name, sep, value = option.partition("=")
            if not sep:
                raise CommandError(f"--kwarg {option!r}: write name=value.")
            kwargs[name] = value
        try:
            path = reverse(url_name, kwargs=kwargs)
            info = view_info(resolve(path).func)
        except (Resolver404, Exception) as error:
            raise CommandError(f"No consumer URL named {url_name!r} with {kwargs}: {error}") from error
        if info is None or info.kind != "consumer":
            raise CommandError(f"{url_name!r} is not a @consumer.")
        return info.view.group(**kwargs)
