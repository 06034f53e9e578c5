"""The CLI twins of the studio's corrections and searches: codes rename (descriptions), participants
delete, turns (list, speaker, not speech, split) and search."""

from __future__ import annotations

from coding.codebook import find_code
from coding.importing import import_transcripts
from coding.study import Store
from research_tui.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_codes_rename_keeps_the_description_and_says_so_or_clears_or_replaces_it(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    old = find_code(Store.open(study), "Onboarding").description
    code, out, err = run(capsys, "codes", study, "rename", "Onboarding", "Analysis")
    assert code == 0 and "renamed 'Onboarding' to 'Analysis'" in out
    assert "kept its description" in err and old in err
    with Store.open(study) as store:
        assert find_code(store, "Analysis").description == old
    assert run(capsys, "codes", study, "rename", "Analysis", "Setup", "--clear-description")[0] == 0
    with Store.open(study) as store:
        assert find_code(store, "Setup").description == ""
    assert run(capsys, "codes", study, "rename", "Setup", "Arrival", "--description", "Gets there.")[0] == 0
    with Store.open(study) as store:
        assert find_code(store, "Arrival").description == "Gets there."
    code, _, err = run(capsys, "codes", study, "rename", "Arrival", "X", "--description", "a", "--clear-description")
    assert code == 1 and "not both" in err
    run(capsys, "undo", study)
    with Store.open(study) as store:
        assert find_code(store, "Setup").description == ""


def transcript(*args):
    from tests.tui.conftest import transcript as make

    return make(*args)


def small_study(tmp_path):
    from tests.tui.conftest import make_study

    path = tmp_path / "s.rtui"
    make_study(path).close()
    return path


def test_participants_delete_keeps_the_turns_unattributed_and_undo_restores(tmp_path, capsys):
    study = small_study(tmp_path)
    code, out, err = run(capsys, "participants", study, "delete", "Mei Chen")
    assert code == 0, err
    assert "deleted 'Mei Chen' (P03): 1 turn now unattributed" in out
    with Store.open(study) as store:
        assert "Mei Chen" not in {p.name for p in store.participants()}
        assert store.totals()["participants"] == 3          # Interviewer, Aisha, George
        sid = next(s.id for s in store.sources() if s.title == "follow_up")
        speakers = {store.participant(u.participant_id).name for u in store.utterances(sid)}
        assert speakers == {"Interviewer", "(unattributed)"}
    code, out, _ = run(capsys, "participants", study)
    assert "(unattributed)" in out and "unattributed" in out
    code, _, err = run(capsys, "participants", study, "delete", "unattributed")
    assert code == 1 and "cannot delete (unattributed)" in err
    code, _, err = run(capsys, "participants", study, "delete", "Nobody")
    assert code == 1 and "no participant named 'Nobody'" in err
    assert run(capsys, "undo", study)[0] == 0
    with Store.open(study) as store:
        assert "Mei Chen" in {p.name for p in store.participants()}
        assert "(unattributed)" not in {p.name for p in store.participants()}


def test_turns_list_split_speaker_and_not_speech(tmp_path, capsys):
    import json

    study = small_study(tmp_path)
    code, out, err = run(capsys, "turns", study, "results")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 4 and lines[1].split()[:3] == ["2", "George", "Wilson"]
    code, out, err = run(capsys, "turns", study, "results", "split", "2", "I rang the helpline", "--to", "Interviewer")
    assert code == 0, err
    assert "split turn 2 of 'results': turn 3 now starts at 'I rang the helpline' (I01)" in out
    items = json.loads(run(capsys, "turns", study, "results", "--json")[1])
    assert [(i["number"], i["pseudonym"], i["text"]) for i in items][1:3] == [
        (2, "P02", "The results letter was full of jargon. I was confused."),
        (3, "I01", "I rang the helpline twice.")]
    with Store.open(study) as store:
        text = next(s.text for s in store.sources() if s.title == "results")
        assert all(text[i["char_start"]:i["char_end"]] == i["text"] for i in items)
    code, out, _ = run(capsys, "turns", study, "results", "speaker", "3", "George Wilson")
    assert code == 0 and "gave 1 turn to P02 in 'results'" in out
    code, out, _ = run(capsys, "turns", study, "results", "not-speech", "1", "4-5")
    assert code == 0 and "marked 3 turns of 'results' as not speech" in out
    items = json.loads(run(capsys, "turns", study, "results", "--json")[1])
    assert [i["not_speech"] for i in items] == [True, False, False, True, True]
    assert "(not speech)" in run(capsys, "turns", study, "results")[1]
    assert run(capsys, "turns", study, "results", "speech", "5")[0] == 0
    for _ in range(3):
        assert run(capsys, "undo", study)[0] == 0
    items = json.loads(run(capsys, "turns", study, "results", "--json")[1])
    assert len(items) == 5 and not any(i["not_speech"] for i in items) and items[2]["pseudonym"] == "I01"


def test_turns_errors_are_one_line_and_change_nothing(tmp_path, capsys):
    study = small_study(tmp_path)
    before = Store.open(study).history(1)[0].id
    for argv, message in [
        (("turns", study, "nowhere"), "no source titled 'nowhere'"),
        (("turns", study, "results", "split", "2", "helicopter"), "do not occur in that turn"),
        (("turns", study, "results", "split", "9", "I rang"), "turn 9 is not between 1 and 4"),
        (("turns", study, "results", "split", "2-3", "I rang"), "one TURN number"),
        (("turns", study, "results", "speaker", "x", "George Wilson"), "turn numbers look like"),
        (("turns", study, "results", "speaker", "2", "Nobody"), "no participant named 'Nobody'"),
        (("turns", study, "results", "not-speech"), "one or more TURNS"),
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 1 and message in err and len(err.strip().splitlines()) == 1, (argv, err)
    assert Store.open(study).history(1)[0].id == before


def test_search_finds_uncoded_words_with_source_speaker_and_json(tmp_path, capsys):
    import json

    from tests.tui.conftest import code_quotes

    study = small_study(tmp_path)
    with Store.open(study) as store:
        code_quotes(store)
    code, out, err = run(capsys, "search", study, "waiting")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "2 turns with “waiting” in 1 source"
    assert lines[1].split()[:2] == ["clinic_visit", "Interviewer"] and "And the waiting room?" in lines[1]
    assert lines[2].startswith("* clinic_visit") and "Aisha Khan" in lines[2]     # * : the words are coded
    data = json.loads(run(capsys, "search", study, "helpline", "--json")[1])
    assert data["total"] == 1
    [hit] = data["hits"]
    with Store.open(study) as store:
        text = next(s.text for s in store.sources() if s.title == "results")
    assert text[hit["match_start"]:hit["match_end"]] == "helpline" and hit["coded"] is False
    out = run(capsys, "search", study, "the", "--limit", "1")[1]
    assert out.startswith("6 turns with “the” in 3 sources (the first 1 shown; --limit 0 shows all)")
    assert len(out.splitlines()) == 2
    assert run(capsys, "anonymize", study, "on")[0] == 0
    out = run(capsys, "search", study, "helpline")[1]
    assert "George" not in out and "results" not in out.splitlines()[1] and "S02" in out and "P02" in out
    with Store.open(study) as store:   # a name inside the words is replaced too
        import_transcripts(store, [transcript("thanks", [("Interviewer", None, "Thank you, George Wilson.")])])
    out = run(capsys, "turns", study, "S04")[1] + run(capsys, "search", study, "thank")[1]
    assert "George" not in out and "Thank you, P02." in out
    code, out, _ = run(capsys, "search", study, "zebra")
    assert code == 0 and out.startswith("0 turns with “zebra” in 0 sources")
