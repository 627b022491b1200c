"""Flask CLI commands: thin wrappers over services."""

from flask import Flask


def register_cli(app: Flask) -> None:
    from .demo import demo_cli, setup_command
    from .registry import registry_cli
    from .users import device_cli, user_cli

    for group in (registry_cli, user_cli, device_cli, demo_cli):
        app.cli.add_command(group)
    app.cli.add_command(setup_command)
    from .calendar import calendar_cli; app.cli.add_command(calendar_cli)  # noqa: E702
    from .publication import publication_cli; app.cli.add_command(publication_cli)  # noqa: E702
    from .dispatch import dispatch_command; app.cli.add_command(dispatch_command)  # noqa: E702
    from .plan import plan_cli; app.cli.add_command(plan_cli)  # noqa: E702
    from .draw import draw_cli; app.cli.add_command(draw_cli)  # noqa: E702
    from .case import case_cli; app.cli.add_command(case_cli)  # noqa: E702
    from .dossier import dossier_cli; app.cli.add_command(dossier_cli)  # noqa: E702
    from .backup import backup_cli; app.cli.add_command(backup_cli)  # noqa: E702
    for extra in app.extensions.get("suicha_cli", []):
        app.cli.add_command(extra)
