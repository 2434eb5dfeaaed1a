import socket

import pytest

from clew.errors import ConfigError
from clew.services import system


def test_system_port_in_use_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        taken = s.getsockname()[1]
        with pytest.raises(ConfigError, match=f"port {taken}.*in use") as e:
            system.pick_port(taken, "CLEW_OPENSEARCH_PORT")
        assert "CLEW_OPENSEARCH_PORT" in e.value.hint


def test_system_port_zero_picks_a_free_port():
    port = system.pick_port(0, "X")
    assert system.port_free(port)
