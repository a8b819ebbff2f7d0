"""A scan file whose reading was killed goes on where it stopped: no form lost, none twice."""

from tests.jobs.helpers import (
    assert_every_form_read_once,
    kill,
    pages_recorded,
    scan_file,
    start,
    wait_until,
)
from tests.ops.servers import server_env

FORMS = 10  # two pages each


def test_a_killed_ingest_run_again_reads_every_form_once(survey_app, issue, tmp_path,
                                                         database_url):  # fmt: skip
    path, codes = scan_file(issue, tmp_path, FORMS)
    env = server_env(database_url)
    first = start(["scans", "ingest", str(path)], env)
    wait_until(lambda: pages_recorded(survey_app) >= 5, first)
    kill(first)
    stopped_at = pages_recorded(survey_app)
    assert 5 <= stopped_at < 2 * FORMS, "killed mid-file"

    again = start(["scans", "ingest", str(path)], env)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert "trước đây" not in err  # "taken before"
    assert_every_form_read_once(survey_app, codes, 2 * FORMS)

    third = start(["scans", "ingest", str(path)], env)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 1 and "trước đây" in err, out + err  # taken before
