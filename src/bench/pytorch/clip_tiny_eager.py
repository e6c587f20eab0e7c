#!/usr/bin/env python3
"""PyTorch eager reference of the training steps that ``abdflow bench`` times through DJL.

An independent implementation, in plain PyTorch (torch + numpy + the standard library), of:

* ``train-step``: clip-tiny (OpenAI's ModifiedResNet [1,1,1,1] width 16 at 32 px, attention
  pool with 8 heads, text transformer 64 wide / 2 layers / 2 heads, context 16, embed 64),
  CLIP's symmetric InfoNCE loss, forward + backward + AdamW, batch 128;
* ``patch-step``: one step of ABD's Stage A (AdvCLIP's patch GAN): generator G and discriminator
  D against two frozen clip-tiny models (the origin and the poisoned one), batch 16;
* ``abd-step``: ABD's fine-tuning step, CLIP loss on (I, T) plus the unimodal InfoNCE terms on
  (I, I_adv) and (T, T_eda), forward + backward + AdamW, batch 128;
* ``matmul-peak``: the fp32 GEMM rate torch reaches with the same threads.

Shapes and hyper-parameters follow the Java sources (``ClipConfig.preset("clip-tiny")``,
``ClipTrainer``/``AdamW``/``TrainingOptions``, ``AdvPatchTrainer``/``AdvPatchOptions.demoBuilder()``
and ``BenchCommand``): synthetic random 32x32 grey images replicated to 3 channels and normalised
with Fashion-MNIST's statistics, random RGB "patched" views for abd-step, Fashion-MNIST captions
from the demo's 12 templates tokenized by the word-level tokenizer (36 ids, context 16).

Timing: every step's data (the image -> normalised tensor conversion, token ids, brightness for
patch-step, the batch gather) is prepared OUTSIDE the timed region; a step's time runs from the
first forward op to the end of the optimiser update, including the host reads a Java step also
does (loss value, gradient finiteness check, logit-scale clamp, loss terms). Each benchmark runs
one un-timed FLOP-counting step, ``--warmup`` un-timed steps, then ``--steps`` timed ones.

FLOP counting (``flops_per_step``): analytic, from forward hooks on Conv2d, ConvTranspose2d,
Linear and nn.MultiheadAttention and explicit counts for the attention-pool matmuls, the text
projection and the loss matmuls (logits and the topology term's Gram matrices). A multiply-add is
2 FLOPs. Each counted op of forward cost F contributes F * (1 + a + w) where a = 1 when its
activation input requires a gradient (backward w.r.t. the input is computed) and w = 1 when its
weight (or second operand) requires one (backward w.r.t. the weight); ops run under no_grad count
F. So a trained layer costs about 3F (2F for the first layer, whose input is data), a layer of a
frozen encoder on an input that needs a gradient 2F, and a frozen encoder under no_grad F.
Element-wise ops (BatchNorm, LayerNorm, softmax, activations, pooling) and the optimiser are not
counted.

BLAS: Debian's python3-torch has no MKL; torch.mm / nn.Linear call the system libblas.so.3, which
is netlib's unoptimised, single-threaded reference BLAS unless an optimised one (e.g.
libopenblas0-pthread) is installed as that alternative, while convolutions go through oneDNN.
Every line says which (``blas``); ``matmul-peak`` also gives the 1x1-convolution (oneDNN) rate.

Output: one JSON object per line on stdout and nothing else; logs go to stderr.
"""

import argparse
import json
import math
import os
import re
import sys
import time
from collections import OrderedDict


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, required=True, help="torch intra-op threads")
    p.add_argument("--steps", type=int, default=40, help="measured steps per benchmark")
    p.add_argument("--warmup", type=int, default=10, help="un-timed steps before the measured ones")
    p.add_argument("--batch", type=int, default=128, help="pairs per step of train-step and abd-step")
    p.add_argument("--patch-batch", type=int, default=16, help="images per step of patch-step (and G's noise batch)")
    p.add_argument("--profile", default=None, metavar="DIR",
                   help="after the timed steps, run --profile-steps more under torch's profiler and write DIR/NAME-pytorch.json")
    p.add_argument("--profile-steps", type=int, default=8, help="steps in the profiled pass")
    p.add_argument("--only", default="train-step,patch-step,abd-step,matmul-peak",
                   help="comma-separated subset of train-step,patch-step,abd-step,matmul-peak")
    a = p.parse_args(argv)
    a.only = [n.strip() for n in a.only.split(",") if n.strip()]
    unknown = [n for n in a.only if n not in BENCHMARKS]
    if unknown:
        p.error("unknown benchmark(s) %s (known: %s)" % (", ".join(unknown), ", ".join(BENCHMARKS)))
    if a.threads < 1 or a.steps < 1 or a.warmup < 0 or a.batch < 2 or a.patch_batch < 2:
        p.error("need --threads >= 1, --steps >= 1, --warmup >= 0, --batch >= 2, --patch-batch >= 2")
    return a


BENCHMARKS = ("train-step", "patch-step", "abd-step", "matmul-peak")

ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    # Debian's torch takes its GEMM from the system libblas.so.3; torch.set_num_threads does not
    # reach an OpenBLAS or BLIS installed as that alternative, their own variables do
    for var in ("OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ.setdefault(var, str(ARGS.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402

if ARGS is not None:
    # first thing: the thread pools, before any op creates them
    torch.set_num_threads(ARGS.threads)
    torch.set_num_interop_threads(1)

import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Configuration (ClipConfig.preset("clip-tiny"), TrainingOptions, AdvPatchOptions.demoBuilder())
# ---------------------------------------------------------------------------------------------

EMBED_DIM = 64
IMAGE_RESOLUTION = 32
VISION_LAYERS = (1, 1, 1, 1)
VISION_WIDTH = 16
VISION_HEADS = VISION_WIDTH * 32 // 64  # OpenAI's rule for a ResNet tower: 8 heads of 64
CONTEXT_LENGTH = 16
TRANSFORMER_WIDTH = 64
TRANSFORMER_HEADS = 2
TRANSFORMER_LAYERS = 2
FASHION_MEAN = 0.2860
FASHION_STD = 0.3530

# ClipTrainer / TrainingOptions (CleanCLIP's AdamW recipe); BenchCommand sets lr 1e-4
LEARNING_RATE = 1e-4
WEIGHT_DECAY = 0.1
BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
WARMUP_STEPS = 50
LOGIT_SCALE_MAX = math.log(100)
NO_DECAY_KEYS = ("bn", "ln", "bias", "logit_scale")

# AdvPatchOptions.builder() (the paper's) with demoBuilder()'s 6x6 patch; BenchCommand sets the batch
ALPHA, BETA, GAMMA, DELTA, MU, TAU = 10.0, 5.0, 5.0, 1.0, 10.0, 0.1
BD_SIGN = -1.0  # reconstruction A (SEPARATE): the generator adds -mu * L_bd
PATCH_LR, PATCH_BETAS = 2e-4, (0.5, 0.999)
D_CLIP = 0.01
BRIGHTNESS = (1.0, 1.5)
PATCH_SIDE = 6
PATCH_MARGIN = round(14 * IMAGE_RESOLUTION / 224)  # AdvCLIP's 14 px at 224, scaled: 2 px
CLAMP_LOW = (0.0 - 0.485) / 0.229  # AdvCLIP's clamp of P, from ImageNet statistics
CLAMP_HIGH = (1.0 - 0.406) / 0.225
NOISE_DIM = 100
GAN_WIDTH = 64  # PatchGanShape.forResolution(32): width 64, 3 layers
GAN_LAYERS = 3
GAN_KERNEL = 4

TEMPLATES = (
    "a photo of a {}.", "a blurry photo of a {}.", "a black and white photo of a {}.",
    "a low contrast photo of a {}.", "a bad photo of a {}.", "a good photo of a {}.",
    "a photo of the small {}.", "a photo of the large {}.", "a close-up photo of a {}.",
    "a cropped photo of the {}.", "a bright photo of a {}.", "a dark photo of the {}.",
)
CLASSES = ("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot")


# ---------------------------------------------------------------------------------------------
# FLOP counting
# ---------------------------------------------------------------------------------------------

class FlopCounter:
    """Adds F * (1 + sum(requires_grad flags)) per counted op while active (see the module doc)."""

    def __init__(self):
        self.active = False
        self.total = 0.0
        self._handles = []

    def add(self, forward_flops, *needs_grad):
        if not self.active:
            return
        mult = 1
        if torch.is_grad_enabled():
            mult += sum(1 for g in needs_grad if g)
        self.total += float(forward_flops) * mult

    def matmul(self, a, b):
        """a @ b for 2-D (or batched) a and 2-D b, counted."""
        out = a @ b
        self.add(2.0 * out.numel() * a.shape[-1], a.requires_grad, b.requires_grad)
        return out

    def start(self, *models):
        self.total = 0.0
        self.active = True
        skip = set()
        for model in models:
            for m in model.modules():
                if isinstance(m, nn.MultiheadAttention):
                    skip.add(id(m.out_proj))  # counted by the attention's own hook
        for model in models:
            for m in model.modules():
                if id(m) in skip:
                    continue
                if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                    self._handles.append(m.register_forward_hook(self._conv_hook))
                elif isinstance(m, nn.Linear):
                    self._handles.append(m.register_forward_hook(self._linear_hook))
                elif isinstance(m, nn.MultiheadAttention):
                    self._handles.append(m.register_forward_hook(self._mha_hook))

    def stop(self):
        for h in self._handles:
            h.remove()
        self._handles = []
        self.active = False
        return self.total

    def _conv_hook(self, m, inputs, output):
        x = inputs[0]
        taps = m.kernel_size[0] * m.kernel_size[1]
        if isinstance(m, nn.ConvTranspose2d):
            # every input pixel spreads a k x k x C_out stencil
            fwd = 2.0 * x.numel() * (m.out_channels // m.groups) * taps
        else:
            fwd = 2.0 * output.numel() * (m.in_channels // m.groups) * taps
        self.add(fwd, x.requires_grad, m.weight.requires_grad)

    def _linear_hook(self, m, inputs, output):
        x = inputs[0]
        self.add(2.0 * output.numel() * m.in_features, x.requires_grad, m.weight.requires_grad)

    def _mha_hook(self, m, inputs, output):
        x = inputs[0]  # self-attention, batch-first (N, L, E)
        n, length, e = x.shape
        rx, rw = x.requires_grad, m.in_proj_weight.requires_grad
        ra = rx or rw  # q, k, v and everything after them
        self.add(2.0 * n * length * e * 3 * e, rx, rw)  # packed in-projection
        self.add(2.0 * n * length * length * e, ra, ra)  # Q K^T over all heads
        self.add(2.0 * n * length * length * e, ra, ra)  # softmax(.) V
        self.add(2.0 * n * length * e * e, ra, m.out_proj.weight.requires_grad)


FLOPS = FlopCounter()


# ---------------------------------------------------------------------------------------------
# CLIP (OpenAI's model.py, as ClipBlock / ModifiedResNet / TextTransformer build it)
# ---------------------------------------------------------------------------------------------

class Bottleneck(nn.Module):
    """Anti-aliased bottleneck: convolutions at stride 1, an average pool before the last 1x1."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.relu2 = nn.ReLU(inplace=True)
        self.avgpool = nn.AvgPool2d(stride) if stride > 1 else nn.Identity()
        self.conv3 = nn.Conv2d(planes, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu3 = nn.ReLU(inplace=True)
        self.downsample = None
        if stride > 1 or inplanes != planes * self.expansion:
            self.downsample = nn.Sequential(OrderedDict([
                ("-1", nn.AvgPool2d(stride) if stride > 1 else nn.Identity()),
                ("0", nn.Conv2d(inplanes, planes * self.expansion, 1, bias=False)),
                ("1", nn.BatchNorm2d(planes * self.expansion)),
            ]))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.relu2(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(self.avgpool(out)))
        return self.relu3(out + identity)


class AttentionPool2d(nn.Module):
    """The feature map's mean, as the only query, attends over [mean; positions]."""

    def __init__(self, spacial_dim, embed_dim, num_heads, output_dim):
        super().__init__()
        self.positional_embedding = nn.Parameter(torch.randn(spacial_dim ** 2 + 1, embed_dim) / embed_dim ** 0.5)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.c_proj = nn.Linear(embed_dim, output_dim)
        self.num_heads = num_heads

    def forward(self, x):
        n, c, h, w = x.shape
        heads, hd = self.num_heads, c // self.num_heads
        tokens = x.flatten(2).transpose(1, 2)  # N, HW, C
        tokens = torch.cat([tokens.mean(dim=1, keepdim=True), tokens], dim=1) + self.positional_embedding
        length = tokens.shape[1]
        q = self.q_proj(tokens[:, :1]).view(n, 1, heads, hd).transpose(1, 2) * hd ** -0.5
        k = self.k_proj(tokens).view(n, length, heads, hd).transpose(1, 2)
        v = self.v_proj(tokens).view(n, length, heads, hd).transpose(1, 2)
        ra = tokens.requires_grad or self.q_proj.weight.requires_grad
        FLOPS.add(2.0 * n * length * c, ra, ra)  # q K^T
        FLOPS.add(2.0 * n * length * c, ra, ra)  # softmax(.) V
        pooled = (q @ k.transpose(-2, -1)).softmax(dim=-1) @ v  # N, heads, 1, hd
        return self.c_proj(pooled.reshape(n, c))


class ModifiedResNet(nn.Module):
    def __init__(self, layers, output_dim, heads, input_resolution, width):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width // 2, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width // 2)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(width // 2, width // 2, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width // 2)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv3 = nn.Conv2d(width // 2, width, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(width)
        self.relu3 = nn.ReLU(inplace=True)
        self.avgpool = nn.AvgPool2d(2)
        self._inplanes = width
        self.layer1 = self._make_layer(width, layers[0])
        self.layer2 = self._make_layer(width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(width * 8, layers[3], stride=2)
        self.attnpool = AttentionPool2d(input_resolution // 32, width * 32, heads, output_dim)

    def _make_layer(self, planes, blocks, stride=1):
        layers = [Bottleneck(self._inplanes, planes, stride)]
        self._inplanes = planes * Bottleneck.expansion
        layers += [Bottleneck(self._inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        x = self.relu2(self.bn2(self.conv2(x)))
        x = self.relu3(self.bn3(self.conv3(x)))
        x = self.avgpool(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.attnpool(x)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(width * 4, width)),
        ]))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x, mask):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.width, self.layers = width, layers
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x, mask):
        for block in self.resblocks:
            x = block(x, mask)
        return x


class CLIP(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.visual = ModifiedResNet(VISION_LAYERS, EMBED_DIM, VISION_HEADS, IMAGE_RESOLUTION, VISION_WIDTH)
        self.transformer = Transformer(TRANSFORMER_WIDTH, TRANSFORMER_LAYERS, TRANSFORMER_HEADS)
        self.token_embedding = nn.Embedding(vocab_size, TRANSFORMER_WIDTH)
        self.positional_embedding = nn.Parameter(torch.empty(CONTEXT_LENGTH, TRANSFORMER_WIDTH))
        self.ln_final = nn.LayerNorm(TRANSFORMER_WIDTH)
        self.text_projection = nn.Parameter(torch.empty(TRANSFORMER_WIDTH, EMBED_DIM))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        mask = torch.full((CONTEXT_LENGTH, CONTEXT_LENGTH), float("-inf")).triu_(1)
        self.register_buffer("attn_mask", mask, persistent=False)
        self._initialize()

    def _initialize(self):
        """OpenAI's initialize_parameters (what nn.Init / the Java constructors draw)."""
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        pool = self.visual.attnpool
        std = pool.c_proj.in_features ** -0.5
        for lin in (pool.q_proj, pool.k_proj, pool.v_proj, pool.c_proj):
            nn.init.normal_(lin.weight, std=std)
        for name, param in self.visual.named_parameters():
            if re.search(r"layer\d\.\d+\.bn3\.weight$", name):
                nn.init.zeros_(param)
        width, layers = self.transformer.width, self.transformer.layers
        proj_std = width ** -0.5 * (2 * layers) ** -0.5
        attn_std = width ** -0.5
        fc_std = (2 * width) ** -0.5
        for block in self.transformer.resblocks:
            nn.init.normal_(block.attn.in_proj_weight, std=attn_std)
            nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
            nn.init.normal_(block.mlp.c_fc.weight, std=fc_std)
            nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_projection, std=width ** -0.5)

    def encode_image(self, pixels):
        return self.visual(pixels)

    def encode_text(self, ids):
        # As TextTransformer.java: only the positions up to the batch's last end token (the highest
        # id) are computed; under the causal mask the result is the full context's.
        end = ids.argmax(dim=1)
        used = int(end.max()) + 1
        x = self.token_embedding(ids[:, :used]) + self.positional_embedding[:used]
        x = self.ln_final(self.transformer(x, self.attn_mask[:used, :used]))
        x = x[torch.arange(x.shape[0]), end]
        return FLOPS.matmul(x, self.text_projection)


def clip_model(vocab_size, seed):
    torch.manual_seed(seed)
    return CLIP(vocab_size)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------

def info_nce_rows(queries, keys, scale):
    """Mean over i of -log softmax_j(scale * q_i . k_j)[i] (InfoNce.rows; inputs L2-normalised)."""
    logits = scale * FLOPS.matmul(queries, keys.t())
    return F.cross_entropy(logits, torch.arange(logits.shape[0]))


def clip_loss(u, v, scale):
    """CLIP's symmetric InfoNCE (Objectives.clipLoss)."""
    logits = scale * FLOPS.matmul(u, v.t())
    labels = torch.arange(logits.shape[0])
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2


def adv_info_nce(q, k, tau):
    """AdvCLIP's one-directional InfoNCE with temperature tau (AdvClipLosses.infoNce)."""
    logits = FLOPS.matmul(F.normalize(q, dim=-1), F.normalize(k, dim=-1).t()) / tau
    return F.cross_entropy(logits, torch.arange(logits.shape[0]))


TOPOLOGY_EPS = 1e-7
SELF_DISTANCE = 3.0


def neighbour_graph(x):
    """AdvCLIP's umap graph: cosine distances, shifted by each row's nearest neighbour, row-normalised."""
    unit = x / (x.norm(dim=1, keepdim=True) + TOPOLOGY_EPS)
    unit = torch.where(torch.isnan(unit), torch.zeros_like(unit), unit)
    distance = 1 - FLOPS.matmul(unit, unit.t())
    eye = torch.eye(x.shape[0])
    off = 1 - eye
    with_self = distance * off + SELF_DISTANCE * eye
    shifted = (with_self - with_self.min(dim=1, keepdim=True).values) * off
    similarity = (2 - shifted) * 0.5
    return similarity / similarity.sum(dim=1, keepdim=True)


def topology(a, b):
    """AdvCLIP's topological divergence U(A, B) (AdvClipLosses.topology)."""
    q, p = neighbour_graph(a), neighbour_graph(b)

    def divergence(p_, q_):
        return (p_ * ((p_ + TOPOLOGY_EPS).log() - (q_ + TOPOLOGY_EPS).log())).sum()

    return divergence(p, q) + divergence(1 - p, 1 - q)


def bce_logits(logits, real):
    target = torch.ones_like(logits) if real else torch.zeros_like(logits)
    return F.binary_cross_entropy_with_logits(logits, target)


# ---------------------------------------------------------------------------------------------
# Data (BenchCommand.syntheticData, WordTokenizer, ImageBatcher): all prepared outside the timing
# ---------------------------------------------------------------------------------------------

TOKEN = re.compile(r"[^\W_]+|[^\s\w]|_")  # Java's [\p{L}\p{N}]+|[^\s\p{L}\p{N}]


class WordTokenizer:
    """0 padding, 1 unknown, the corpus's words sorted, then start, then end (the highest id)."""

    def __init__(self, texts, context_length=CONTEXT_LENGTH):
        self.words = sorted({w for t in texts for w in TOKEN.findall(t.lower())})
        self.ids = {w: 2 + i for i, w in enumerate(self.words)}
        self.context_length = context_length
        self.start = 2 + len(self.words)
        self.end = self.start + 1
        self.vocab_size = self.end + 1

    def encode(self, text):
        tokens = TOKEN.findall(text.lower())[: self.context_length - 2]
        out = [0] * self.context_length
        out[0] = self.start
        for i, t in enumerate(tokens):
            out[i + 1] = self.ids.get(t, 1)
        out[len(tokens) + 1] = self.end
        return out

    def encode_all(self, texts):
        return torch.tensor([self.encode(t) for t in texts], dtype=torch.long)


def captions(n):
    return [TEMPLATES[i % len(TEMPLATES)].replace("{}", CLASSES[i % len(CLASSES)].lower()) for i in range(n)]


def grey_to_pixels(grey, factor=None):
    """uint8 N x R x R -> N x 3 x R x R, in [0, 1] (times a brightness factor, clipped), normalised."""
    x = torch.from_numpy(grey).float().div_(255)
    if factor is not None:
        x = x.mul_(torch.from_numpy(factor).float().view(-1, 1, 1)).clamp_(max=1)
    x = x.sub_(FASHION_MEAN).div_(FASHION_STD)
    return x.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()


def rgb_to_pixels(rgb):
    """uint8 N x R x R x 3 -> N x 3 x R x R, normalised."""
    x = torch.from_numpy(rgb).float().div_(255).sub_(FASHION_MEAN).div_(FASHION_STD)
    return x.permute(0, 3, 1, 2).contiguous()


class SyntheticData:
    """n random grey images with the demo's captions; random RGB views and other-template captions."""

    def __init__(self, n, rng):
        r = IMAGE_RESOLUTION
        self.n = n
        self.grey = rng.integers(0, 256, size=(n, r, r), dtype=np.uint8)
        self.rgb = rng.integers(0, 256, size=(n, r, r, 3), dtype=np.uint8)
        self.captions = captions(n)
        self.tokenizer = WordTokenizer(self.captions)
        self.ids = self.tokenizer.encode_all(self.captions)
        # BenchCommand's captionView: a caption of another template, as EDA's rewording
        self.view_ids = self.ids[(torch.arange(n) + len(CLASSES)) % n]

    def batches(self, batch, rng):
        """Endless (epoch, indices) of shuffled epochs, full batches and a last one of >= 2 pairs."""
        epoch = 0
        while True:
            order = rng.permutation(self.n)
            for start in range(0, self.n, batch):
                idx = order[start:start + batch]
                if len(idx) >= 2:
                    yield epoch, idx
            epoch += 1


# ---------------------------------------------------------------------------------------------
# train-step and abd-step (ClipTrainer.fit with Objectives.clip() or BenchCommand.abdObjective())
# ---------------------------------------------------------------------------------------------

def adamw_for(model):
    """torch AdamW with the Java rule for decay: none for < 2-D and bn/ln/bias/logit_scale names."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.ndim >= 2 and not any(k in name for k in NO_DECAY_KEYS) else no_decay).append(p)
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}],
        lr=LEARNING_RATE, betas=BETAS, eps=ADAM_EPS)


def learning_rate(step, total):
    """TrainingOptions.learningRate: linear warm-up, then cosine to 0."""
    if step < WARMUP_STEPS:
        return LEARNING_RATE * (step + 1) / WARMUP_STEPS
    span = total - WARMUP_STEPS
    if span <= 0:
        return LEARNING_RATE
    return 0.5 * (1 + math.cos(math.pi * (step - WARMUP_STEPS) / span)) * LEARNING_RATE


def clip_train_step(model, optimizer, params, batch, lr, abd):
    """One ClipTrainer step: forward, loss, backward, finiteness check, AdamW, logit-scale clamp."""
    for group in optimizer.param_groups:
        group["lr"] = lr
    u = F.normalize(model.encode_image(batch["pixels"]), dim=-1)
    v = F.normalize(model.encode_text(batch["ids"]), dim=-1)
    scale = model.logit_scale.exp()
    loss = clip_loss(u, v, scale)
    if abd:
        # PAPER.md 1.5: L_CLIP(I, T) + (L(I, I_adv) + L(T, T_eda)) / 2
        u_adv = F.normalize(model.encode_image(batch["pixel_views"]), dim=-1)
        v_eda = F.normalize(model.encode_text(batch["view_ids"]), dim=-1)
        loss = loss + (info_nce_rows(u, u_adv, scale) + info_nce_rows(v, v_eda, scale)) / 2
    loss.backward()
    value = loss.item()
    # ClipTrainer checks loss and gradients before any update (one reduction, one host read)
    total = torch.stack([p.grad.abs().sum() for p in params if p.grad is not None]).sum().item()
    if not (math.isfinite(value) and math.isfinite(total)):
        raise RuntimeError("non-finite loss %r or gradients %r" % (value, total))
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    with torch.no_grad():
        model.logit_scale.clamp_(0, LOGIT_SCALE_MAX)
    return value


def bench_train(args, abd):
    name = "abd-step" if abd else "train-step"
    rng = np.random.default_rng(0)
    data = SyntheticData(args.batch * 4, rng)
    model = clip_model(data.tokenizer.vocab_size, seed=0).train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = adamw_for(model)
    n_params = parameter_count(model)
    log("%s: clip-tiny, vocabulary %d, %d parameters" % (name, data.tokenizer.vocab_size, n_params))
    total_steps = 1 + args.warmup + args.steps
    batches = data.batches(args.batch, rng)

    def prepare():
        # outside the timed region: gather + image -> normalised tensor (+ the views for abd-step)
        _, idx = next(batches)
        b = {"pixels": grey_to_pixels(data.grey[idx]), "ids": data.ids[idx]}
        if abd:
            b["pixel_views"] = rgb_to_pixels(data.rgb[idx])
            b["view_ids"] = data.view_ids[idx]
        return b

    flops, times, losses = 0.0, [], []
    for step in range(total_steps):
        batch = prepare()
        lr = learning_rate(step, total_steps)
        if step == 0:
            FLOPS.start(model)
            losses.append(clip_train_step(model, optimizer, params, batch, lr, abd))
            flops = FLOPS.stop()
            continue
        t0 = time.perf_counter()
        losses.append(clip_train_step(model, optimizer, params, batch, lr, abd))
        dt = time.perf_counter() - t0
        if step > args.warmup:
            times.append(dt)
    log("%s: loss %.4f -> %.4f" % (name, losses[0], losses[-1]))
    result = step_result(name, times, args.batch, flops, args)
    if args.profile:
        lr = learning_rate(total_steps - 1, total_steps)
        result.update(profiled(name, prepare, lambda batch: clip_train_step(model, optimizer, params, batch, lr, abd), args))
    if not abd:
        result["params"] = n_params
    return result


# ---------------------------------------------------------------------------------------------
# patch-step (AdvPatchTrainer.step): AdvCLIP's G and D against frozen origin and poisoned CLIPs
# ---------------------------------------------------------------------------------------------

class PatchGenerator(nn.Module):
    """DCGAN generator: noise B x 100 x 1 x 1 -> 3 x R x R per noise, then a 3x3 conv across the B maps."""

    def __init__(self, noise_batch):
        super().__init__()
        hidden = OrderedDict()
        channels = NOISE_DIM
        for i in range(GAN_LAYERS):
            width = GAN_WIDTH << (GAN_LAYERS - 1 - i)  # 256, 128, 64
            stride, padding = (1, 0) if i == 0 else (2, 1)  # 1 -> 4 -> 8 -> 16 px
            hidden["deconv%d" % (i + 1)] = nn.ConvTranspose2d(channels, width, GAN_KERNEL, stride, padding)
            hidden["bn%d" % (i + 1)] = nn.BatchNorm2d(width)
            hidden["relu%d" % (i + 1)] = nn.ReLU(inplace=True)
            channels = width
        self.hidden_layer = nn.Sequential(hidden)
        # PatchGanShape at 32 px: stride 2, padding 1, no output padding: 16 -> 32 px
        self.output_layer = nn.Sequential(OrderedDict([
            ("out", nn.ConvTranspose2d(channels, 3, GAN_KERNEL, 2, 1)),
            ("tanh", nn.Tanh()),
        ]))
        self.residual_layer = nn.Sequential(OrderedDict([("res", nn.Conv2d(noise_batch, 1, 3, 1, 1))]))
        init_dcgan(self)

    def forward(self, z):
        maps = self.output_layer(self.hidden_layer(z))  # B x 3 x R x R
        return self.residual_layer(maps.transpose(0, 1)).transpose(0, 1)  # 1 x 3 x R x R


class PatchDiscriminator(nn.Module):
    """DCGAN discriminator: 3 -> 64 -> 128 -> 256 (k4 s2 p1, BN after all but the first, LeakyReLU 0.2) -> 1."""

    def __init__(self):
        super().__init__()
        hidden = OrderedDict()
        channels, side = 3, IMAGE_RESOLUTION
        for i in range(GAN_LAYERS):
            width = GAN_WIDTH << i
            hidden["conv%d" % (i + 1)] = nn.Conv2d(channels, width, GAN_KERNEL, 2, 1)
            if i > 0:
                hidden["bn%d" % (i + 1)] = nn.BatchNorm2d(width)
            hidden["lrelu%d" % (i + 1)] = nn.LeakyReLU(0.2, inplace=True)
            channels, side = width, (side + 2 - GAN_KERNEL) // 2 + 1
        self.hidden_layer = nn.Sequential(hidden)
        self.output_layer = nn.Sequential(OrderedDict([("out", nn.Conv2d(channels, 1, side, 1, 0))]))
        init_dcgan(self)

    def forward(self, x):
        """Pre-sigmoid scores, shape (N)."""
        return self.output_layer(self.hidden_layer(x)).flatten()


def init_dcgan(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)


def patch_mask():
    r, at = IMAGE_RESOLUTION, IMAGE_RESOLUTION - PATCH_MARGIN - PATCH_SIDE
    m = torch.zeros(1, 1, r, r)
    m[..., at:at + PATCH_SIDE, at:at + PATCH_SIDE] = 1
    return m


def patch_step(nets, x, ids):
    """AdvPatchTrainer.step: P once, the D step (+ weight clipping), then the G step on L_G."""
    g, d, opt_g, opt_d, origin, poisoned, z, inside, outside = nets
    patch = g(z).clamp(CLAMP_LOW, CLAMP_HIGH)
    x_adv = x * outside + patch * inside

    d.requires_grad_(True)
    loss_d = bce_logits(d(x), True) + bce_logits(d(x_adv.detach()), False)
    loss_d.backward()
    loss_d_value = loss_d.item()
    if not math.isfinite(loss_d_value):
        raise RuntimeError("L_D = %r" % loss_d_value)
    opt_d.step()
    opt_d.zero_grad(set_to_none=True)
    with torch.no_grad():
        for p in d.parameters():
            p.clamp_(-D_CLIP, D_CLIP)
    d.requires_grad_(False)  # D is fixed during the G step

    with torch.no_grad():
        fx = origin.encode_image(x)
        text = origin.encode_text(ids)
    f_adv = origin.encode_image(x_adv)  # f = E_o: it also gives E_o(x_adv) of L_bd
    p_adv = poisoned.encode_image(x_adv)
    gan = bce_logits(d(x_adv), True)
    adv = -adv_info_nce(fx, f_adv, TAU) - BETA * adv_info_nce(f_adv, text, TAU)
    rec = F.mse_loss(x_adv, x)
    topo = -topology(fx, f_adv) - GAMMA * topology(f_adv, text)
    bd = adv_info_nce(p_adv, f_adv, TAU)
    total = gan + ALPHA * adv + rec + DELTA * topo + BD_SIGN * MU * bd
    total.backward()
    terms = torch.stack([gan, adv, rec, topo, bd, total]).tolist()
    if not math.isfinite(terms[-1]):
        raise RuntimeError("L_G = %r" % terms[-1])
    opt_g.step()
    opt_g.zero_grad(set_to_none=True)
    return [loss_d_value] + terms


def bench_patch(args):
    rng = np.random.default_rng(0)
    b = args.patch_batch
    data = SyntheticData(b * 4, rng)
    vocab = data.tokenizer.vocab_size
    origin = clip_model(vocab, seed=0).eval().requires_grad_(False)
    poisoned = clip_model(vocab, seed=1).eval().requires_grad_(False)
    torch.manual_seed(100)  # AdvPatchOptions' seed
    g, d = PatchGenerator(b).train(), PatchDiscriminator().train()
    opt_g = torch.optim.Adam(g.parameters(), lr=PATCH_LR, betas=PATCH_BETAS, eps=ADAM_EPS)
    opt_d = torch.optim.Adam(d.parameters(), lr=PATCH_LR, betas=PATCH_BETAS, eps=ADAM_EPS)
    z = torch.randn(b, NOISE_DIM, 1, 1)
    inside = patch_mask()
    nets = (g, d, opt_g, opt_d, origin, poisoned, z, inside, 1 - inside)
    n_g, n_d = parameter_count(g), parameter_count(d)
    log("patch-step: G %d, D %d parameters; frozen clip-tiny x2 (%d each)" % (n_g, n_d, parameter_count(origin)))
    batches = data.batches(b, rng)

    def prepare():
        # outside the timed region: images in [0, 1], brightness U[1, 1.5] (clipped to 1), normalised
        _, idx = next(batches)
        factor = rng.uniform(BRIGHTNESS[0], BRIGHTNESS[1], size=len(idx))
        return grey_to_pixels(data.grey[idx], factor), data.ids[idx]

    flops, times, terms = 0.0, [], []
    for step in range(1 + args.warmup + args.steps):
        x, ids = prepare()
        if step == 0:
            FLOPS.start(g, d, origin, poisoned)
            terms.append(patch_step(nets, x, ids))
            flops = FLOPS.stop()
            continue
        t0 = time.perf_counter()
        terms.append(patch_step(nets, x, ids))
        dt = time.perf_counter() - t0
        if step > args.warmup:
            times.append(dt)
    log("patch-step: L_D %.4f -> %.4f, L_G %.4f -> %.4f" % (terms[0][0], terms[-1][0], terms[0][-1], terms[-1][-1]))
    result = step_result("patch-step", times, b, flops, args)
    if args.profile:
        result.update(profiled("patch-step", prepare, lambda batch: patch_step(nets, *batch), args))
    result["params_g"], result["params_d"] = n_g, n_d
    return result


# ---------------------------------------------------------------------------------------------
# matmul-peak
# ---------------------------------------------------------------------------------------------

def sustained_rate(op, flops, budget_s):
    """GFLOP/s of op over repeated runs for at least ~1 s (one warm-up run when cheap)."""
    t0 = time.perf_counter()
    op()
    first = time.perf_counter() - t0
    if first * 2 > budget_s:
        return flops / first / 1e9
    reps, t0 = 0, time.perf_counter()
    while True:
        op()
        reps += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min(1.0, budget_s / 2) or elapsed + elapsed / reps > budget_s:
            break
    return flops * reps / elapsed / 1e9


def peak(make_op, sizes, budget_s=8.0):
    """The best sustained rate over sizes; a size predicted to take more than budget_s is skipped."""
    rates, best = {}, 0.0
    for n in sizes:
        flops = 2.0 * n ** 3
        if best and flops / (best * 1e9) > budget_s / 2:
            log("matmul-peak: n=%d skipped (about %.0f s per product at %.1f GFLOP/s)" % (n, flops / best / 1e9, best))
            continue
        rates[n] = sustained_rate(make_op(n), flops, budget_s)
        best = max(best, rates[n])
    return rates


def bench_matmul(args):
    torch.manual_seed(0)

    def gemm(n):
        a, b = torch.randn(n, n), torch.randn(n, n)
        out = torch.empty(n, n)
        return lambda: torch.mm(a, b, out=out)

    def conv1x1(n):
        # the same product through oneDNN's convolution (what Conv2d layers use): (1, K, M, 1) * (N, K, 1, 1)
        x, w = torch.randn(1, n, n, 1), torch.randn(n, n, 1, 1)
        return lambda: F.conv2d(x, w)

    with torch.no_grad():
        rates = peak(gemm, (1024, 2048, 4096))
        conv_rates = peak(conv1x1, (1024, 2048, 4096))
    n_best = max(rates, key=rates.get)
    c_best = max(conv_rates, key=conv_rates.get)
    log("matmul-peak: torch.mm %s GFLOP/s; 1x1 conv (oneDNN) %s GFLOP/s" % (
        {k: round(v, 1) for k, v in rates.items()}, {k: round(v, 1) for k, v in conv_rates.items()}))
    out = {"name": "matmul-peak", "gflops": round(rates[n_best], 2), "n": n_best}
    out.update(common_fields(args))
    out.update({"gflops_by_n": {str(k): round(v, 2) for k, v in rates.items()},
                "conv1x1_gflops": round(conv_rates[c_best], 2), "conv1x1_n": c_best})
    return out


# ---------------------------------------------------------------------------------------------

def blas_library():
    """The BLAS torch.mm goes to: torch's own MKL, or the system libblas.so.3 (Debian's alternative)."""
    if torch.backends.mkl.is_available():
        return "mkl"
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                base = os.path.basename(path).lower()
                if "blas" in base or "blis" in base or "mkl" in base:
                    libs.add(os.path.realpath(path))
    except OSError:
        return "unknown"
    names = sorted(libs)
    if any("openblas" in p for p in names):
        return "openblas"
    if any("blis" in p for p in names):
        return "blis"
    if any("/blas/" in p for p in names):
        return "netlib-reference"  # Debian's libblas3: single-threaded, unoptimised
    return ",".join(names) or "unknown"


def debian_package():
    """Debian's version of python3-torch (its torch.__version__ says 1.13.0a0 for 1.13.1), or None."""
    if not torch.__file__.startswith("/usr/lib/python3/"):
        return None
    try:
        with open("/var/lib/dpkg/status", encoding="utf-8", errors="replace") as status:
            package = None
            for line in status:
                if line.startswith("Package: "):
                    package = line[9:].strip()
                elif package == "python3-torch" and line.startswith("Version: "):
                    return line[9:].strip()
    except OSError:
        pass
    return None


def common_fields(args):
    out = {"torch": torch.__version__, "threads": args.threads, "blas": blas_library()}
    package = debian_package()
    if package:
        out["debian_package"] = package
    return out


def profiled(name, prepare, step, args):
    """Runs --profile-steps more steps (untimed) under torch's profiler; where its trace went."""
    os.makedirs(args.profile, exist_ok=True)
    path = os.path.join(args.profile, "%s-pytorch.json" % name)
    batches = [prepare() for _ in range(args.profile_steps)]  # outside the profile, as outside the timing
    with torch.autograd.profiler.profile(record_shapes=True) as prof:
        for batch in batches:
            step(batch)
    prof.export_chrome_trace(path)
    return {"profile": path, "profile_steps": args.profile_steps}


def step_result(name, times, batch, flops, args):
    ms = [t * 1e3 for t in times]
    mean = sum(ms) / len(ms)
    out = {"name": name, "ms_per_step": round(mean, 3), "steps": len(ms), "batch": batch,
           "flops_per_step": float(round(flops))}
    out.update(common_fields(args))
    out.update({"warmup": args.warmup, "ms_median": round(sorted(ms)[len(ms) // 2], 3), "ms_min": round(min(ms), 3),
                "gflops_achieved": round(flops / (mean / 1e3) / 1e9, 3)})
    return out


def main(args):
    log("torch %s, threads %d (interop %d), steps %d after %d warm-up" % (
        torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads(), args.steps, args.warmup))
    runs = {
        "train-step": lambda: bench_train(args, abd=False),
        "patch-step": lambda: bench_patch(args),
        "abd-step": lambda: bench_train(args, abd=True),
        "matmul-peak": lambda: bench_matmul(args),
    }
    for name in BENCHMARKS:
        if name in args.only:
            t0 = time.perf_counter()
            result = runs[name]()
            log("%s: done in %.1f s" % (name, time.perf_counter() - t0))
            print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(ARGS))
