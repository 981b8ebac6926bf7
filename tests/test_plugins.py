from os1.core.tools import tool
from os1.plugins import get_plugin_manager, hookimpl, llm_backends, reset_plugin_manager, tools


def test_builtins_come_through_the_entry_point_group():
    reset_plugin_manager()
    pm = get_plugin_manager()
    names = {pm.get_name(p) for p in pm.get_plugins()}
    assert {"embedded", "openai", "remembering", "notes", "mail", "calendar", "contacts", "reminders",
            "memory_commands", "models_commands", "config_commands"} <= names
    assert {"embedded", "openai"} <= set(llm_backends())
    assert {"core_memory_append", "core_memory_replace", "forget_memories", "save_note", "set_reminder",
            "mail_read", "add_event"} <= set(tools())


def test_a_third_party_plugin_registers_the_same_way():
    @tool
    def wave(ctx) -> str:
        """Wave hello."""
        return "waved"

    class Plugin:
        @hookimpl
        def register_tools(self, register):
            register(wave)

        @hookimpl
        def register_llm_backends(self, register):
            register("echo", lambda settings, models_dir: "an echo model")

    reset_plugin_manager()
    get_plugin_manager().register(Plugin(), name="third-party")
    try:
        assert tools()["wave"] is wave
        assert llm_backends()["echo"](None, None) == "an echo model"
    finally:
        reset_plugin_manager()


def test_cli_commands_come_from_plugins_too():
    import typer

    reset_plugin_manager()
    cli = typer.Typer()
    get_plugin_manager().hook.register_commands(cli=cli)
    # the built-in groups, plus those of skills that ship with OS1 (mail: #5, time: #6)
    assert {g.name for g in cli.registered_groups} >= {"memory", "models", "config", "mail"}
    assert {g.name for g in cli.registered_groups} >= {"calendar", "reminders", "contacts"}
