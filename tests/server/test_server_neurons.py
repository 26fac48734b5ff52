"""Each neuron's own map over the plane (``boundary.neurons``, the diagram's thumbnails): the engine's forward
pass of the grid through the dataset's input features, for 2-D datasets only — with Flask-SocketIO's test client."""
from __future__ import annotations

import numpy as np
import pytest

from app import frames
from app.wire import encode
from engine import presets


def configured(sio, config):
    ack = sio.call("configure", config)
    assert ack["ok"] is True, ack
    return dict(sio.received())


def grid_points(extent, n):
    """The plane's n×n points, row by row from ymin upward (as docs/protocol.md says)."""
    xmin, xmax, ymin, ymax = extent
    return np.array([(x, y) for y in np.linspace(ymin, ymax, n) for x in np.linspace(xmin, xmax, n)])


@pytest.mark.parametrize("preset", ["binary-2-5-5-1", "spiral", "circle-features", "overfitting",
                                    "regression-bumps"])
def test_each_neurons_map_is_the_engines_forward_pass_over_the_grid(sio, preset):
    got = configured(sio, {"preset": preset})
    boundary = got["snapshot"]["boundary"]
    maps = boundary["neurons"]
    setup = presets.build({"preset": preset})
    n = encode.NEURON_N
    points = grid_points(boundary["extent"], n)
    activations = setup.net.forward(setup.dataset.inputs(points)).activations
    assert maps["n"] == n == 16
    assert [len(layer) for layer in maps["values"]] == setup.net.sizes[1:]
    for l, layer in enumerate(maps["values"]):
        for j, values in enumerate(layer):
            expected = activations[l + 1][:, j].reshape(n, n)
            np.testing.assert_allclose(values, expected, rtol=0, atol=0.5 * 10 ** -encode.NEURON_DECIMALS)


def test_the_output_neurons_map_agrees_with_the_boundary_on_the_grid_they_share(sio):
    """The 16×16 and 40×40 grids share their corners: the thumbnail and the big view show the same network."""
    b = configured(sio, {"preset": "spiral"})["snapshot"]["boundary"]
    small, big = np.array(b["neurons"]["values"][-1][0]), np.array(b["values"])
    corners = [(0, 0), (0, -1), (-1, 0), (-1, -1)]
    np.testing.assert_allclose([small[r][c] for r, c in corners], [big[r][c] for r, c in corners], atol=5e-5)


@pytest.mark.parametrize("preset, boundary", [("sine-curve", True), ("letters", False), ("xor-3-4-1", False)])
def test_datasets_that_are_not_2d_get_no_neuron_maps(sio, preset, boundary):
    snap = configured(sio, {"preset": preset})["snapshot"]
    assert ("boundary" in snap) is boundary
    assert "neurons" not in snap.get("boundary", {})


def test_the_maps_ride_in_the_boundary_so_a_frame_without_a_boundary_has_none():
    setup = presets.build({"preset": "spiral"})
    assert "neurons" in frames.live(setup, boundary=True)["boundary"]
    assert "neurons" not in frames.live(setup, boundary=True, neurons=False)["boundary"]
    assert "boundary" not in frames.live(setup, boundary=False)
