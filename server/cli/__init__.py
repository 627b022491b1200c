"""Flask CLI commands: thin wrappers over services."""

from flask import Flask


def register_cli(app: Flask) -> None:
    from .backup import backup_cli
    from .calendar import calendar_cli
    from .case import case_cli
    from .demo import demo_cli, setup_command
    from .dispatch import dispatch_command
    from .dossier import dossier_cli
    from .draw import draw_cli
    from .plan import plan_cli
    from .publication import publication_cli
    from .registry import registry_cli
    from .sync import sync_cli
    from .users import device_cli, user_cli

    for command in (setup_command, registry_cli, user_cli, device_cli, demo_cli, calendar_cli,
                    publication_cli, dispatch_command, plan_cli, draw_cli, case_cli, dossier_cli,
                    backup_cli, sync_cli):
        app.cli.add_command(command)
