"""The parser: one pipeline per process, and a sentence parsed recently is not parsed again."""

from __future__ import annotations

from newswatch.claims import parse


def test_a_repeated_sentence_is_parsed_once_and_order_is_kept(monkeypatch) -> None:
    nlp = parse.load_parser()
    seen: list[str] = []
    real_pipe = nlp.pipe

    def pipe(texts, **kwargs):
        texts = list(texts)
        seen.extend(texts)
        return real_pipe(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    a = "Colossus 1 draws 300 MW from the Memphis grid, a parse-cache test said."
    b = "Halcyon Cloud raised $4.2 billion to buy GPUs for a parse-cache test."
    first = parse.parse([a, b, a])
    again = parse.parse([b, a])
    assert seen == [a, b]  # each sentence went to the pipeline once
    assert [d.text for d in first] == [a, b, a] and [d.text for d in again] == [b, a]
    assert again[1] is first[0]
    assert any(t.dep_ == "nsubj" for t in first[0])


def test_the_kept_parses_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(parse, "PARSED_KEPT", 3)
    docs = parse.parse([f"Site {k} has {k} GPUs in a bounded-cache test." for k in range(5)])
    assert len(docs) == 5 and len(parse._parsed) <= 3


def test_a_sentence_parsed_long_ago_still_gives_its_nouns_unparsed(monkeypatch) -> None:
    """Grouping asks which words of a claim's sentence are nouns after extraction has parsed
    many other sentences: the nouns outlive the kept docs, so the sentence is not parsed again."""
    monkeypatch.setattr(parse, "PARSED_KEPT", 2)
    a = "Halcyon Cloud raised $4.2 billion to buy GPUs for a noun-cache test."
    parse.parse([a] + [f"Site {k} has {k} GPUs in a noun-cache test." for k in range(4)])
    assert a not in parse._parsed
    nlp = parse.load_parser()
    seen: list[str] = []
    real_pipe = nlp.pipe
    monkeypatch.setattr(nlp, "pipe", lambda texts, **kw: seen.extend(texts) or real_pipe(texts, **kw))
    b = "Orion 2 draws 300 MW of power in a noun-cache test."
    found_a, found_b = parse.nouns([a, b])
    assert seen == [b]
    assert {"Halcyon", "GPUs"} <= found_a and "raised" not in found_a and "power" in found_b
