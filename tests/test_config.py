import pytest

from os1.config import load_settings
from os1.errors import ConfigError


def test_layers_defaults_file_env_cli(tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("OS1_CONFIG", str(cfg))
    monkeypatch.delenv("OS1_LLM__MAX_REPLY_TOKENS")
    monkeypatch.delenv("OS1_LLM__TEMPERATURE")
    assert load_settings().llm.max_reply_tokens == 512  # default
    cfg.write_text("timezone = 'Europe/Oslo'\n[llm]\nmax_reply_tokens = 100\ntemperature = 0.2\n")
    s = load_settings()
    assert (s.llm.max_reply_tokens, s.llm.temperature, s.timezone) == (100, 0.2, "Europe/Oslo")
    monkeypatch.setenv("OS1_LLM__MAX_REPLY_TOKENS", "200")
    s = load_settings()
    assert (s.llm.max_reply_tokens, s.llm.temperature) == (200, 0.2)  # env over file
    s = load_settings(llm={"max_reply_tokens": 300})
    assert s.llm.max_reply_tokens == 300  # command line over env


def test_invalid_value_names_the_setting_and_the_fix(monkeypatch):
    monkeypatch.setenv("OS1_LLM__TEMPERATURE", "hot")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "llm.temperature" in err.value.message
    assert "OS1_*" in err.value.fix


def test_broken_config_file_is_a_clear_error(tmp_path, monkeypatch):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("this is = = not toml")
    monkeypatch.setenv("OS1_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="config file"):
        load_settings()
