/**
 * Play, pause and step, and the speed scale. Speeds run from "a sample at a time" (the page asks for one sample,
 * animates its four phases, then asks for the next) through 1 … 1000 epochs/s to "max" (the server trains as fast
 * as it can and the page shows the newest state). It sends socket events and sets `playing`/`speed`/`phase` in
 * the page state; drawing is left to the modules.
 */
import { createPhasePlayer } from './phases.js';

export const SPEEDS = ['sample', 1, 3, 10, 30, 100, 300, 1000, 'max'];

export function speedLabel(s) {
  if (s === 'sample') return 'one sample at a time';
  if (s === 'max') return 'max';
  return `${s} epoch${s === 1 ? '' : 's'}/s`;
}

/** io = { send(event, payload, ack?), setState(patch), getState() } */
export function createPlayer(io) {
  const phases = createPhasePlayer(io.setState);
  let loop = false;

  const nLayers = () => (io.getState().network ? io.getState().network.sizes.length : 2);

  function stopAnimation() {
    phases.stop();
    if (io.getState().phase) io.setState({ phase: null, phaseLayer: null });
  }

  function requestSample() { io.send('step', { unit: 'sample' }); }

  const api = {
    get looping() { return loop; },
    play() {
      const s = io.getState();
      if (!s.network) return;
      if (s.speed === 'sample') {
        loop = true;
        io.setState({ playing: true });
        if (!phases.playing) requestSample();
      } else {
        loop = false;
        stopAnimation();
        io.setState({ playing: true, live: true });
        io.send('start', { speed: s.speed });
      }
    },
    pause() {
      loop = false;
      stopAnimation();
      io.setState({ playing: false });
      io.send('pause', {});
    },
    toggle() { if (io.getState().playing) api.pause(); else api.play(); },
    stepEpoch() {
      loop = false;
      stopAnimation();
      io.setState({ playing: false });
      io.send('step', { unit: 'epoch' });
    },
    stepSample() {
      if (io.getState().playing && !loop) io.send('pause', {});
      loop = false;
      io.setState({ playing: false });
      requestSample();
    },
    setSpeed(v) {
      const s = io.getState();
      io.setState({ speed: v });
      if (!s.playing) return;
      if (v === 'sample' && !loop) {
        io.send('pause', {});
        loop = true;
        requestSample();
      } else if (v !== 'sample' && loop) {
        loop = false;
        stopAnimation();
        io.send('start', { speed: v });
      } else if (v !== 'sample') {
        io.send('set', { speed: v });
      }
    },
    /** A `trace` arrived: animate its phases, then (in the sample loop) ask for the next sample. */
    onTrace(trace) {
      io.setState({ trace, sample: trace.index, live: true });
      phases.play(trace, nLayers(), () => {
        io.setState({ phase: null, phaseLayer: null });
        if (loop) requestSample();
      }, io.getState().phaseScale || 1);
    },
    /** A `status` arrived: the server's word decides whether we are playing, except in the sample loop. */
    onStatus(status) {
      if (loop && status.state !== 'diverged') return;
      if (status.state === 'diverged' || status.state === 'done') loop = false;
      io.setState({ playing: status.state === 'training' });
    },
    /** A new network or a reset: stop everything client-side. */
    stopAll() { loop = false; stopAnimation(); io.setState({ playing: false }); },
  };
  return api;
}
