/**
 * TeX for the equations panel: BP1–BP4 and the update, symbolic and filled with the numbers of equationValues().
 *
 * What it is for: `equationCards(v)` turns the values from equations-model.js into cards {id, tag, title, sym, num,
 * note, warn}.  Every number is wrapped in \htmlData{eq=…, value=…} so the rendered DOM carries
 * data-eq/data-value with the full-precision number (the tests compare them with the server's state).  The row
 * layout (Z = A W + b, this engine) and the column layout (z = W x + b, the textbook’s) give the same numbers,
 * with W and its gradient transposed.
 * What it leaves out: no DOM and no maths of its own beyond formatting; notes are HTML built from fixed text,
 * numbers and escaped labels.
 */
import { DIGITS, fmt } from '../lib/visual-kit.js';
import { activation } from '../core/schema.js';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

/** A number as TeX that KaTeX draws as exactly the text fmt(x) prints elsewhere: 0.5312, −1.2e−5. */
export function texNum(x, digits = DIGITS) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '?';
  const [m, e] = fmt(x, digits).replace(/\u2212/g, '-').split('e');
  return e === undefined ? m : `${m}\\mathrm{e}{${e}}`;
}

/** A number carrying its data attributes; `paren` wraps negatives for use as a factor. */
function N(key, x, { paren = false, index = null, hl = false, digits = DIGITS } = {}) {
  const attrs = `eq=${key}, value=${x === null || x === undefined ? '' : String(x)}`
    + (index === null ? '' : `, index=${index}`);
  let t = `\\htmlData{${attrs}}{${texNum(x, digits)}}`;
  if (hl) t = `\\htmlClass{vis-hl}{${t}}`;
  return paren && x < 0 ? `\\left(${t}\\right)` : t;
}

const sub = (...ix) => (ix.some((k) => k >= 10) ? ix.join(',') : ix.join(''));

/** At most `max` items, keeping item `keep` in view, with ⋯ for the rest. */
function shown(items, keep, max = 4) {
  if (items.length <= max) return { items, more: 0, idx: [...items.keys()] };
  const pick = [...new Set([keep, ...items.keys()].filter((k) => k !== null && k >= 0))].slice(0, max - 1).sort((a, b) => a - b);
  return { items: pick.map((k) => items[k]), more: items.length - pick.length, idx: pick };
}
/** a + b + ⋯ + d + ⋯(n more): a ⋯ marks each run of terms left out between the shown ones. */
function sumTex(parts, more, idx = null) {
  const out = parts.map((p, k) => (idx && k > 0 && idx[k] > idx[k - 1] + 1 ? `\\cdots + ${p}` : p));
  return out.join(' + ') + (more ? ` + \\cdots_{\\,(${more}\\text{ more})}` : '');
}

const sigmaPrimeTex = (act) => activation(act)?.tex ?? '?';  // each activation's TeX, from engine/activations.py

function sigmaPrimeNum(act, a, sp) {
  if (act === 'sigmoid') return `${N('a', a)}\\,(1 - ${N('a', a)}) = ${N('sigma_prime', sp)}`;
  if (act === 'tanh') return `1 - ${N('a', a, { paren: true })}^{2} = ${N('sigma_prime', sp)}`;
  return N('sigma_prime', sp);
}

function forwardCard(v) {
  const { l, i, j } = v.target;
  const f = v.forward;
  const col = v.layout === 'column';
  const sym = col ? `z^{${l}}_{${j + 1}} = \\sum_{i} w^{${l}}_{${j + 1}i}\\,a^{${l - 1}}_{i}${v.bias ? ` + b^{${l}}_{${j + 1}}` : ''}`
    : `z^{${l}}_{${j + 1}} = \\sum_{i} a^{${l - 1}}_{i}\\,w^{${l}}_{i${j + 1}}${v.bias ? ` + b^{${l}}_{${j + 1}}` : ''}`;
  const { items, more, idx } = shown(f.a_prev.map((a, k) => k), i);
  const parts = items.map((k) => {
    const sel = k === i;
    const a = N(sel ? 'a_prev' : 'a_in', f.a_prev[k], { paren: true, index: k, hl: sel });
    const w = N(sel ? 'w' : 'w_in', f.w[k], { paren: true, index: k, hl: sel });
    return col ? `${w}\\cdot ${a}` : `${a}\\cdot ${w}`;
  });
  const num = `z = ${sumTex(parts, more, idx)}${v.bias ? ` + ${N('b', f.b, { paren: true })}` : ''} = ${N('z', f.z)},`
    + `\\quad a = ${v.target.l === v.target.L ? `\\sigma_{\\text{${v.output_activation}}}` : `\\sigma`}(z) = ${N('a', f.a)}`;
  return { id: 'forward', tag: 'forward', title: 'Forward pass', sym: `${sym},\\qquad a^{${l}}_{${j + 1}} = \\sigma(z^{${l}}_{${j + 1}})`, num };
}

/** The sample's target as a student reads it: its letter, or the target value. */
export function targetLabel(v) {
  if (!v.y) return '';
  if (v.y.length === 1) return fmt(v.y[0]);
  const k = v.y.indexOf(Math.max(...v.y));
  return v.labels[k] ?? String(k);
}

const LOSS_NAME = { mse: 'C = \\tfrac12\\lVert a - y\\rVert^{2}', bce: 'C = -\\sum \\big[y\\ln a + (1-y)\\ln(1-a)\\big]',
  ce: 'C = -\\sum_k y_k \\ln a_k' };

function bp1Card(v) {
  const { L, j } = v.target;
  const d = v.delta;
  const J = j + 1;
  const scale = d.scale !== 1 ? `\\tfrac{1}{${d.n}}` : '';
  const scaleNum = d.scale !== 1 ? `\\tfrac{1}{${d.n}}\\,` : '';
  const card = { id: 'bp1', tag: 'BP1', title: 'Output error' };
  if (d.y === null) return { ...card, sym: '\\delta^{L} = \\nabla_a C \\odot \\sigma\'(z^{L})', num: '', note: 'No target for this sample.' };
  const ay = `(${N('a', d.a)} - ${N('y', d.y)})`;
  if (d.cancels) {
    const bce = v.loss === 'bce';
    card.sym = bce
      ? `\\delta^{${L}}_{${J}} = ${scale}\\frac{\\partial C}{\\partial a}\\,\\sigma'(z) = ${scale}\\dfrac{a-y}{\\cancel{a(1-a)}}\\;\\cancel{a(1-a)} = ${scale}(a - y)`
      : `\\delta^{${L}}_{${J}} = ${scale}\\sum_k \\Big(-\\frac{y_k}{a_k}\\Big)\\,a_k(\\mathbb{1}_{kj} - a_j) = ${scale}(a_{j} - y_{j})`;
    card.num = bce
      ? `\\frac{\\partial C}{\\partial a} = \\dfrac{${ay.slice(1, -1)}}{${N('a', d.a)}(1-${N('a', d.a)})} = ${N('grad_a', d.grad_a)},\\quad `
        + `\\sigma' = ${N('sigma_prime', d.sigma_prime)},\\quad \\delta = ${scaleNum}${ay} = ${N('delta', d.value)}`
      : `\\delta = ${scaleNum}${ay} = ${N('delta', d.value)}`;
    card.note = bce
      ? 'With cross-entropy the a(1 − a) under ∂C/∂a is exactly the sigmoid’s σ′(z): they cancel, so δᴸ = a − y. '
        + 'So code that leaves σ′ out of the output δ is right for cross-entropy — and wrong for MSE, where σ′ stays.'
      : 'Softmax’s Jacobian and −y/a cancel to a − y because the targets sum to 1: no σ′ appears.';
  } else if (d.softmax) {
    card.sym = `\\delta^{${L}}_{${J}} = ${scale}a_j\\Big(g_j - \\sum_k g_k a_k\\Big),\\quad g = \\nabla_a C`;
    card.num = `\\delta = ${scaleNum}${N('a', d.a)}\\,(${N('grad_a', d.grad_a)} - ${N('dot', d.dot, { paren: true })}) = ${N('delta', d.value)}`;
    card.note = 'Softmax is not element-wise: each output’s δ mixes every ∂C/∂aₖ through its Jacobian.';
  } else {
    const grad = v.loss === 'mse' ? 'a - y' : v.loss === 'bce' ? '\\frac{a-y}{a(1-a)}' : '-\\frac{y}{a}';
    card.sym = `\\delta^{${L}}_{${J}} = ${scale}\\underbrace{\\frac{\\partial C}{\\partial a^{${L}}_{${J}}}}_{${grad}}\\;\\sigma'(z^{${L}}_{${J}})`;
    card.num = `\\delta = ${scaleNum}${N('grad_a', d.grad_a, { paren: true })}\\cdot ${N('sigma_prime', d.sigma_prime, { paren: true })} = ${N('delta', d.value)}`;
    card.extra = `\\frac{\\partial C}{\\partial a} = ${v.loss === 'mse' ? ay : '\\cdots'} = ${N('grad_a', d.grad_a)},\\quad \\sigma'(z) = ${sigmaPrimeTex(d.act)} = ${sigmaPrimeNum(d.act, d.a, d.sigma_prime)}`;
    card.note = `Cost of one sample: MSE, ½‖a − y‖², ${v.reduction === 'mean' ? `averaged over ${d.n} samples` : 'summed over the samples'}.`;
    if (v.loss === 'mse' && d.act === 'sigmoid') card.note += ' Drop σ′ here and you get cross-entropy’s δ, not this loss’s: under MSE the output δ keeps σ′(z).';
  }
  card.symLoss = LOSS_NAME[v.loss];
  return card;
}

function bp2Card(v) {
  const { l, j } = v.target;
  const d = v.delta;
  const col = v.layout === 'column';
  const J = j + 1;
  const vec = col ? `\\delta^{${l}} = \\big((W^{${l + 1}})^{\\top}\\,\\delta^{${l + 1}}\\big) \\odot \\sigma'(z^{${l}})`
    : `\\delta^{${l}} = \\big(\\delta^{${l + 1}}\\,(W^{${l + 1}})^{\\top}\\big) \\odot \\sigma'(z^{${l}})`;
  const elt = col ? `\\delta^{${l}}_{${J}} = \\Big(\\sum_k w^{${l + 1}}_{k${J}}\\,\\delta^{${l + 1}}_{k}\\Big)\\,\\sigma'(z^{${l}}_{${J}})`
    : `\\delta^{${l}}_{${J}} = \\Big(\\sum_k \\delta^{${l + 1}}_{k}\\,w^{${l + 1}}_{${J}k}\\Big)\\,\\sigma'(z^{${l}}_{${J}})`;
  const { items, more } = shown(d.terms, null);
  const parts = items.map((t) => {
    const dn = N('delta_next', t.delta, { paren: true, index: t.k });
    const wn = N('w_next', t.w, { paren: true, index: t.k });
    return col ? `${wn}\\cdot ${dn}` : `${dn}\\cdot ${wn}`;
  });
  return { id: 'bp2', tag: 'BP2', title: 'Error carried back one layer', sym: vec, sym2: elt,
    num: `\\delta = \\big(${sumTex(parts, more)}\\big)\\cdot ${N('sigma_prime', d.sigma_prime, { paren: true })} = ${N('sum', d.sum, { paren: true })}\\cdot ${N('sigma_prime', d.sigma_prime, { paren: true })} = ${N('delta', d.value)}`,
    extra: `\\sigma'(z) = ${sigmaPrimeTex(d.act)} = ${sigmaPrimeNum(d.act, d.a, d.sigma_prime)}`,
    note: `Layer ${l + 1}’s errors flow back through the weights leaving this neuron; their sum is scaled by σ′ at this neuron’s z. `
      + (col ? 'Column layout multiplies Wᵀδ; the rows of W are the neurons of the next layer.'
        : 'Row layout multiplies δ Wᵀ — in NumPy <code>delta @ W.T</code>; the column layout’s Wᵀδ is the same sum.') };
}

function bp3Card(v) {
  const { l, j } = v.target;
  const b = v.bp3;
  const J = j + 1;
  const { items, more: hidden, idx } = shown(b.terms.map((d, r) => ({ d, r })), v.row);
  const more = hidden + Math.max(0, v.n - b.terms.length);
  const parts = items.map(({ d, r }) => N(r === v.row ? 'delta' : 'delta_n', d, { paren: true, index: v.rows[r], hl: r === v.row }));
  const trace = v.mode === 'trace';
  return { id: 'bp3', tag: 'BP3', title: 'Bias gradient',
    sym: trace ? `\\frac{\\partial C_n}{\\partial b^{${l}}_{${J}}} = \\delta^{${l}}_{${J},n}` : `\\frac{\\partial C}{\\partial b^{${l}}_{${J}}} = \\sum_{n} \\delta^{${l}}_{${J},n}`,
    num: trace ? `\\frac{\\partial C_n}{\\partial b} = ${N('grad_b', b.value)}` : `\\frac{\\partial C}{\\partial b} = ${sumTex(parts, more, idx)} = ${N('grad_b', b.value)}`,
    note: trace ? 'This sample’s share; the update adds the shares of every sample in the batch.'
      : `One bias is shared by all ${v.n} samples, so its gradient is the <b>sum</b> of their δ. `
        + 'Assigning δ itself gives the bias one row per sample — it silently stops being a bias.'
        + (b.perSample ? ' <b>The running variant does exactly that.</b>' : ''),
    warn: !trace && !b.perSample && b.terms.length === v.n && b.value !== null && Math.abs(b.sum - b.value) > 1e-9 * Math.max(1, Math.abs(b.value))
      ? `Σδ = ${fmt(b.sum)} but the engine’s ∂C/∂b = ${fmt(b.value)}.` : null };
}

function bp4Card(v) {
  const { l, i, j } = v.target;
  const g = v.bp4;
  const col = v.layout === 'column';
  const [I, J] = [i + 1, j + 1];
  const [nIn, nOut] = [v.sizes[l - 1], v.sizes[l]];
  const mat = col ? `\\underbrace{\\frac{\\partial C}{\\partial W^{${l}}}}_{${nOut}\\times${nIn}} = \\delta^{${l}}\\,(a^{${l - 1}})^{\\top}`
    : `\\underbrace{\\frac{\\partial C}{\\partial W^{${l}}}}_{${nIn}\\times${nOut}} = (a^{${l - 1}})^{\\top}\\,\\delta^{${l}}`;
  const w = col ? `w^{${l}}_{${sub(J, I)}}` : `w^{${l}}_{${sub(I, J)}}`;
  const elt = col ? `\\frac{\\partial C}{\\partial ${w}} = \\sum_n \\delta^{${l}}_{${J},n}\\,a^{${l - 1}}_{${I},n}`
    : `\\frac{\\partial C}{\\partial ${w}} = \\sum_n a^{${l - 1}}_{n,${I}}\\,\\delta^{${l}}_{n,${J}}`;
  const { items, more: hidden, idx } = shown(g.terms.map((t, r) => ({ ...t, r })), v.row);
  const more = v.mode === 'trace' ? hidden : hidden + Math.max(0, v.n - g.terms.length);
  const parts = items.map(({ a, d, r }) => {
    const sel = r === v.row;
    const A = N(sel ? 'a_prev' : 'a_prev_n', a, { paren: true, index: v.rows[r], hl: sel });
    const D = N(sel ? 'delta' : 'delta_n', d, { paren: true, index: v.rows[r], hl: sel });
    return col ? `${D}\\cdot ${A}` : `${A}\\cdot ${D}`;
  });
  const trace = v.mode === 'trace';
  const numpy = col ? `W${l}[${j}, ${i}]` : `W${l}[${i}, ${j}]`;
  const p = g.penalty; // L1/L2 regularisation: + λ·w or + λ·sign(w), once, after the sum over the batch
  const penSym = (x) => (!p ? '' : p.kind === 'l2' ? ` + \\lambda\\,${x}` : ` + \\lambda\\operatorname{sign}(${x})`);
  const penNum = !p ? '' : p.kind === 'l2' ? ` + ${N('reg_rate', p.rate)}\\cdot ${N('w', p.w, { paren: true })}`
    : ` + ${N('reg_rate', p.rate)}\\cdot\\operatorname{sign}(${N('w', p.w)})`;
  const expected = p ? g.sum + p.value : g.sum;
  return { id: 'bp4', tag: 'BP4', title: 'Weight gradient', sym: mat + penSym(`W^{${l}}`), sym2: elt + penSym(w),
    num: `\\frac{\\partial C${trace ? '_n' : ''}}{\\partial w} = ${sumTex(parts, more, idx)}${penNum} = ${N('grad_w', g.value)}`,
    note: `${trace ? 'This sample’s share of the batch gradient. ' : ''}Each term is the input this weight saw times the error at its end — `
      + `that is why the update multiplies by the previous layer’s activation (z = a·w + …, so ∂z/∂w = a). In NumPy this entry is <code>${numpy}</code>`
      + (col ? ' of <code>delta @ a.T</code>; in row layout it is the transposed entry of <code>a.T @ delta</code>.'
        : ' of <code>a.T @ delta</code>; the column layout’s <code>delta @ a.T</code> holds the same number at the transposed place.')
      + (g.complete ? '' : ` (terms shown for the first ${g.terms.length} of ${v.n} samples).`)
      + (!p ? '' : p.kind === 'l2'
        ? ' With L2 regularisation the cost has λ/2·Σw² on top, so every weight (never a bias) gets λ·w more: the'
          + ' step pulls it toward 0.'
        : ' With L1 regularisation the cost has λ·Σ|w| on top, so every weight (never a bias) gets λ·sign(w) more:'
          + ' a constant pull toward 0.'),
    warn: !trace && g.complete && g.value !== null && Math.abs(expected - g.value) > 1e-9 * Math.max(1, Math.abs(g.value))
      ? `Σ a·δ${p ? ' + penalty' : ''} = ${fmt(expected)} but the engine steps along ${fmt(g.value)} `
        + `(variant “${esc(v.variant)}”).` : null };
}

const plural = (k, one, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

function updateCard(v) {
  const { l, i, j } = v.target;
  const u = v.update;
  const weight = 'w' in u;
  const col = v.layout === 'column';
  const name = weight ? `w^{${l}}_{${col ? sub(j + 1, i + 1) : sub(i + 1, j + 1)}}` : `b^{${l}}_{${j + 1}}`;
  const plain = weight ? 'this weight' : 'this bias';
  const key = weight ? 'w' : 'b';
  const now = weight ? u.w : u.b;
  const next = weight ? u.w_new : u.b_new;
  const grad = `\\frac{\\partial C}{\\partial ${name}}`;
  // The one exception to fmt's 4 digits: enough that the old and the new value differ on screen (a small step
  // would otherwise look like none).
  const change = Math.abs((next ?? now) - now);
  const digits = change > 0 && Number.isFinite(change) && now
    ? Math.min(12, Math.max(DIGITS, Math.ceil(Math.log10(Math.abs(now) / change)) + 2)) : DIGITS;
  const mu = u.momentum || 0;
  const card = { id: 'update', tag: 'update', title: 'Gradient descent step',
    sym: mu ? `v \\leftarrow \\mu\\,v - \\eta\\,${grad},\\qquad ${name} \\leftarrow ${name} + v`
      : `${name} \\leftarrow ${name} - \\eta\\,${grad}` };
  if (v.mode === 'trace' && !v.applied) {
    card.num = `${name} = ${N(key, now)}\\quad(\\text{unchanged until the batch ends})`;
    card.note = 'In a batch the shares of all its samples are added first; the step is made after the last one.';
  } else if (v.mode === 'trace' && mu) {
    card.num = `${name}: ${N(key, now, { digits })} \\to ${N(`${key}_new`, next, { digits })}`;
    card.note = `The batch is complete. With momentum ${esc(fmt(mu))} the weight moves by the velocity v, which keeps `
      + `${esc(fmt(mu))} of the previous step and adds −η times the sum of the batch’s shares.`;
  } else if (v.mode === 'trace') {
    card.num = `${N(key, now, { digits })} - ${N('eta', u.eta)}\\cdot ${N('batch_grad', u.batch_grad, { paren: true })} = ${N(`${key}_new`, next, { digits })}`;
    card.note = 'The batch is complete: the step uses the sum of its samples’ shares.';
  } else if (!u.known) {
    card.num = `${name} = ${N(key, now)}`;
    card.note = u.replay ? 'You are looking back at an earlier epoch: the step the trainer takes is shown at the live epoch.'
      : 'The next step appears with the next snapshot.';
  } else {
    const eta = N('eta', u.eta_t);
    if (u.inverse && u.eta_base !== null) {
      card.extra = `\\eta_{\\text{epoch } ${v.epoch}} = \\frac{\\eta}{\\text{epoch} + 1} = \\frac{${texNum(u.eta_base)}}{${v.epoch + 1}} = ${eta}`;
    }
    const kind = v.sampleWord || 'sample'; // the dataset's word for one sample: letter, point, row
    if (u.steps === 1 && !mu) {
      card.num = `${N(key, now, { digits })} - ${eta}\\cdot ${N(`grad_${key}`, u.grad, { paren: true })} = ${N(`${key}_new`, next, { digits })}`;
      card.note = 'Minus: a step down the slope. The whole training set is one batch, so this epoch makes exactly this step.';
    } else if (u.steps === 1) {
      const vel = `v = ${N('mu', mu)}\\cdot ${N('velocity', u.velocity, { paren: true })} - ${eta}\\cdot ${N(`grad_${key}`, u.grad, { paren: true })} = ${N('velocity_new', u.velocity_new)}`;
      card.extra = card.extra ? `${card.extra},\\quad ${vel}` : vel;
      card.num = `${name} = ${N(key, now, { digits })} + ${N('velocity_new', u.velocity_new, { paren: true })} = ${N(`${key}_new`, next, { digits })}`;
      card.note = `With momentum ${esc(fmt(mu))} the step is not −η·∂C/∂w alone: the velocity v keeps ${esc(fmt(mu))} of the `
        + `last step and adds −η·∂C/∂w, and ${plain} moves by v.`;
    } else {
      const each = mu
        ? `\\Delta_{s} = v_{s} = ${N('mu', mu)}\\,v_{s-1} - ${eta}\\,\\frac{\\partial C_{s}}{\\partial ${name}}`
        : `\\Delta_{s} = -${eta}\\,\\frac{\\partial C_{s}}{\\partial ${name}}`;
      card.extra = `${card.extra ? `${card.extra},\\quad ` : ''}${each}\\quad(C_{s}\\text{: the cost of step } s\\text{'s ${u.batch_size === 1 ? kind : 'batch'}})`;
      const parts = u.changes ? u.changes.map((d, k) => N('step', d, { paren: true, index: k })) : null;
      const { items, more, idx } = parts ? shown(parts, null, 8) : {};
      card.num = parts
        ? `${N(key, now, { digits })} + ${sumTex(items, more, idx)} = ${N(`${key}_new`, next, { digits })}`
        : `${N(key, now, { digits })} + ${N('change', next - now, { paren: true })} = ${N(`${key}_new`, next, { digits })}`;
      const per = u.batch_size === 1
        ? `one per ${kind}${u.order.length && u.order.length <= 8 ? ` (${u.order.map(esc).join(', ')})` : ''}`
        : `one per batch of ${u.batch_size} ${kind}s${v.n % u.batch_size ? ' (the last one smaller)' : ''}`;
      card.note = `This epoch makes ${plural(u.steps, 'step')}, ${per}, each with η = ${esc(fmt(u.eta_t))}. Each step uses the `
        + `gradient at the weights the step before left, so together they move ${plain} by ${esc(fmt(next - now))} — not `
        + 'by −η times the whole-set gradient in BP4 above, which is what one full-batch step would use.';
      if (mu) {
        card.note += ` With momentum ${esc(fmt(mu))} each step first updates the velocity v ← μv − η·∂C/∂w and then moves `
          + `${plain} by v (v goes from ${esc(fmt(u.velocity))} to ${esc(fmt(u.velocity_new))} this epoch).`;
      }
    }
    if (u.inverse) card.note += ' The learning rate shrinks every epoch: η/(epoch + 1).';
    if (!u.finite) card.warn = 'This step makes a number overflow: training stops before it.';
  }
  if (v.variant !== 'correct' && v.mode !== 'trace') {
    card.note += ` This network trains by the mistake “${esc(v.variantTitle || v.variant)}”, so its ∂C/∂w is that rule’s, `
      + 'not the true gradient.';
  }
  if (weight && v.target.l === v.target.L && v.loss === 'mse' && v.reduction === 'sum' && v.delta.value !== null) {
    card.note += ' Where is the minus in code that writes <code>W += a.T @ delta</code>? There the error is '
      + `<code>y − a</code>, so its delta = (y − a)σ′ = −δ = ${esc(fmt(-v.delta.value))} here: adding it is subtracting δ, with η = 1.`;
  }
  return card;
}

/** The panel's title and cards for the values `v` (see equations-model.js). */
export function equationCards(v) {
  const t = v.target;
  const layerName = (l) => (l === 0 ? 'input' : l === t.L ? 'output' : t.L > 2 ? `hidden-layer-${l}` : 'hidden');
  if (v.input) {
    return { title: `Input neuron ${t.j + 1}`, cards: [{ id: 'input', tag: 'input', title: 'Input',
      sym: `a^{0}_{${t.j + 1}} = x_{${t.j + 1}}`, num: `a = ${N('a', v.input.a)}`,
      note: 'Inputs have no δ: backpropagation stops at the first weights. Click a weight or a neuron to see its equations.' }] };
  }
  const title = t.kind === 'weight'
    ? `Weight w${t.l}: ${layerName(t.l - 1)} neuron ${t.i + 1} → ${layerName(t.l)} neuron ${t.j + 1}`
    : `${layerName(t.l)[0].toUpperCase()}${layerName(t.l).slice(1)} neuron ${t.j + 1}`;
  const cards = [forwardCard(v), t.l === t.L ? bp1Card(v) : bp2Card(v)];
  const d = v.delta;
  if (d.mismatch) {
    cards[1].warn = `The textbook δ is ${fmt(d.formula)}, but the running rule (variant “${esc(v.variant)}”) uses `
      + `${fmt(d.value)}: this is the mistake.`;
  }
  if (v.bp3) cards.push(bp3Card(v));
  else cards.push({ id: 'bp3', idle: true, tag: 'BP3', title: 'Bias gradient', sym: '\\frac{\\partial C}{\\partial b} = \\sum_n \\delta_n',
    num: '', note: 'This network has no biases. (A constant input of 1 can play that role: its weights act as biases.)' });
  if (v.bp4) cards.push(bp4Card(v));
  if (v.update) cards.push(updateCard(v));
  return { title, cards };
}
