import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# commands run by the tests leave no lint cache in the working directory; tests/test_lint_cache.py
# turns it back on in a directory of its own
os.environ["TRACKDESIGN_NO_CACHE"] = "1"

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A throwaway CA (trustme) and a server context for 127.0.0.1: (ssl context, CA bundle path)."""
    import ssl

    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    return context, str(bundle)


@pytest.fixture(scope="session")
def link_server(tls_files):
    """127.0.0.1: plain HTTP and TLS on one port."""
    from linkserver import LinkServer

    server = LinkServer("127.0.0.1", tls=tls_files[0]).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def plain_server():
    """127.0.0.2: plain HTTP only (its https form does not work)."""
    from linkserver import LinkServer

    server = LinkServer("127.0.0.2").start()
    yield server
    server.stop()

