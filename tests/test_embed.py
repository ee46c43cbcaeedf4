"""Embeddings: offline model from the installed package, blobs, hashes, the embedded text."""

from __future__ import annotations

import numpy as np
import pytest

from newswatch.errors import NewswatchError
from newswatch.stories import cluster, embed


@pytest.fixture(scope="session")
def model() -> object:
    return embed.load_model()  # cached per process: loaded once per test session


def test_default_model_is_the_packaged_folder() -> None:
    folder = embed.default_model_path()
    assert (folder / "modules.json").is_file()
    assert embed.resolve_model(None) == str(folder) == embed.resolve_model("default")


def test_unknown_model_is_a_one_line_newswatch_error(tmp_path) -> None:
    with pytest.raises(NewswatchError) as info:
        embed.load_model(str(tmp_path / "no-such-model"))
    assert "\n" not in str(info.value)
    assert "offline" in str(info.value)


def test_blob_round_trip_and_hash() -> None:
    v = np.array([0.25, -1.5, 3.0], dtype=np.float32)
    assert embed.to_blob(v) == v.tobytes()
    np.testing.assert_array_equal(embed.from_blob(embed.to_blob(v)), v)
    assert embed.text_hash("a") == embed.text_hash("a") != embed.text_hash("a ")


def test_embedding_text_is_headline_plus_lead() -> None:
    body = "First sentence of the lead. " * 100
    text = embed.embedding_text("Headline here", "Headline here\n" + body, lead_chars=200)
    assert text.startswith("Headline here. First sentence")
    assert text.count("Headline here") == 1
    assert len(text) <= len("Headline here. ") + 200
    assert embed.embedding_text(None, None) == ""
    assert embed.embedding_text("Only a title", "") == "Only a title"


def test_encode_is_normalised_float32(model: object) -> None:
    vectors = embed.encode(["one text", "another text"])
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embed.encode([]).shape == (0, 384)


def test_paraphrases_of_one_event_beat_another_event_of_the_same_kind(model: object) -> None:
    a = ("Meridian Compute opens 120 MW AI campus near Reno",
         "Meridian Compute switched on the 120 megawatt first phase of its RNO-1 data center "
         "campus in Storey County, Nevada, on Tuesday, with Pellucid as its first tenant.")
    b = ("Meridian's Nevada data center goes live",
         "The first 120 MW phase of Meridian Compute's RNO-1 campus outside Reno, Nevada is now "
         "running, the company said Tuesday; Pellucid leases 80 MW of it.")
    c = ("Ironwood opens 200 MW Cheyenne data center campus",
         "Ironwood Data Centers opened a 200 megawatt campus in Cheyenne, Wyoming, on Wednesday, "
         "anchored by Lumora Labs, which leases 150 MW.")
    va, vb, vc = embed.encode([embed.embedding_text(*x) for x in (a, b, c)])
    assert float(va @ vb) > float(va @ vc)
    assert float(va @ vb) > float(vb @ vc)
    # with the evidence, the decision separates them
    arts = [cluster.ArticleFeatures(id=i, embedding=v, evidence=cluster.extract_evidence(*x))
            for i, (v, x) in enumerate(((va, a), (vb, b), (vc, c)))]
    story = cluster.new_story(arts[0], story_id=1)
    assert cluster.assign(arts[1], [story], cluster.ClusterParams()) == 1
    assert cluster.assign(arts[2], [story], cluster.ClusterParams()) is None


def test_waiting_model_threads_sleep_unless_told_otherwise() -> None:
    """Spinning OpenMP threads made the claims stage's short model calls several times dearer on
    a busy machine; importing newswatch sets the default before torch can load."""
    import os
    import subprocess
    import sys

    code = "import newswatch, os; print(os.environ.get('OMP_WAIT_POLICY'))"
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "PASSIVE"
    env["OMP_WAIT_POLICY"] = "ACTIVE"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ACTIVE"


def test_encode_by_length_keeps_order_and_the_models_vectors(model: object) -> None:
    # texts of very different token counts, in an order neither by length nor by characters
    texts = ["N MW", "the data center will draw N MW of power from the grid when it opens in N",
             "valuation", "xAI's Colossus N supercomputer in Memphis", "per-GPU power", "a"]
    by_length = embed.encode_by_length(texts, batch_size=2)
    assert by_length.shape == (len(texts), 384) and by_length.dtype == np.float32
    assert np.allclose(by_length, embed.encode(texts), atol=1e-5)
    assert embed.encode_by_length([]).shape == (0, 384)
