#!/usr/bin/env python3
"""Golden reference values for the ecgs engine, computed by PyTorch.

Run once by a developer (CI needs no Python):
    python3 -m venv ~/torchenv && ~/torchenv/bin/pip install torch numpy safetensors
    ~/torchenv/bin/python scripts/make_reference.py Tests/Fixtures/golden

Writes, per case, a real `torch.save` checkpoint (`<case>.pth`, ECGFounder's {"state_dict": ...}
layout including the unused BatchNorm keys) and `<case>.ref.safetensors` holding the input, targets,
logits, per-stage activations, BCE loss, gradients after one backward pass, and the weights after one
AdamW step. Also small primitive references (`primitives.ref.safetensors`) and malformed checkpoints.

    ~/torchenv/bin/python scripts/make_reference.py --verify-safetensors model.safetensors CASE.pth
checks that a file written by ecgs loads in PyTorch and gives the same logits as the checkpoint.
"""
import io, math, os, sys, zipfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file, load_file

torch.set_num_threads(2)


class Swish(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(x)


class ConvSame(nn.Module):
    def __init__(self, cin, cout, k, stride=1, groups=1):
        super().__init__()
        self.k, self.stride = k, stride
        self.conv = nn.Conv1d(cin, cout, k, stride, groups=groups)

    def forward(self, x):
        L = x.shape[-1]
        out = (L + self.stride - 1) // self.stride
        p = max(0, (out - 1) * self.stride + self.k - L)
        return self.conv(F.pad(x, (p // 2, p - p // 2), "constant", 0))


class MaxPoolSame(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.k = k
        self.pool = nn.MaxPool1d(k)

    def forward(self, x):
        p = self.k - 1
        return self.pool(F.pad(x, (p // 2, p - p // 2), "constant", 0))


class Block(nn.Module):
    def __init__(self, cin, cout, k, stride, groups, downsample, first, use_bn, drop_path=0.0):
        super().__init__()
        self.cin, self.cout, self.first, self.downsample, self.use_bn = cin, cout, first, downsample, use_bn
        self.drop_path = drop_path
        self.bn1 = nn.BatchNorm1d(cin); self.act1 = Swish(); self.do1 = nn.Dropout(0.5)
        self.conv1 = ConvSame(cin, cout, 1)
        self.bn2 = nn.BatchNorm1d(cout); self.act2 = Swish(); self.do2 = nn.Dropout(0.5)
        self.conv2 = ConvSame(cout, cout, k, stride, groups)
        self.bn3 = nn.BatchNorm1d(cout); self.act3 = Swish(); self.do3 = nn.Dropout(0.5)
        self.conv3 = ConvSame(cout, cout, 1)
        self.se_fc1 = nn.Linear(cout, cout // 2); self.se_fc2 = nn.Linear(cout // 2, cout); self.se_act = Swish()
        if downsample:
            self.max_pool = MaxPoolSame(stride)

    def forward(self, x):
        out = x
        if not self.first:
            if self.use_bn: out = self.bn1(out)
            out = self.act1(out)
        out = self.conv1(out)
        if self.use_bn: out = self.bn2(out)
        out = self.conv2(self.act2(out))
        if self.use_bn: out = self.bn3(out)
        out = self.conv3(self.act3(out))
        se = self.se_fc2(self.se_act(self.se_fc1(out.mean(-1)))).sigmoid()
        if self.training and self.drop_path > 0:  # stochastic depth as ecgs draws it: per sample, on the scale
            se = se * (torch.rand(se.shape[0], 1) >= self.drop_path).float() / (1 - self.drop_path)
        out = torch.einsum("abc,ab->abc", out, se)
        identity = self.max_pool(x) if self.downsample else x
        if self.cout != self.cin:
            c1 = (self.cout - self.cin) // 2
            identity = F.pad(identity.transpose(-1, -2), (c1, self.cout - self.cin - c1)).transpose(-1, -2)
        return out + identity


class Stage(nn.Module):
    def __init__(self, cin, cout, k, stride, groups, i_stage, m, use_bn):
        super().__init__()
        self.block_list = nn.ModuleList([
            Block(cin if j == 0 else cout, cout, k, stride if j == 0 else 1, groups, j == 0, i_stage == 0 and j == 0, use_bn)
            for j in range(m)])

    def forward(self, x):
        for b in self.block_list:
            x = b(x)
        return x


class Net1D(nn.Module):
    def __init__(self, leads, base, filters, blocks, classes, k=16, gw=16, use_bn=False):
        super().__init__()
        self.use_bn = use_bn
        self.first_conv = ConvSame(leads, base, k, 2)
        self.first_bn = nn.BatchNorm1d(base)
        self.first_activation = Swish()
        cin, stages = base, []
        for i, (f, m) in enumerate(zip(filters, blocks)):
            stages.append(Stage(cin, f, k, 2, f // gw, i, m, use_bn))
            cin = f
        self.stage_list = nn.ModuleList(stages)
        self.dense = nn.Linear(cin, classes)

    def forward(self, x, capture=None):
        out = self.first_conv(x)
        if self.use_bn: out = self.first_bn(out)
        out = self.first_activation(out)
        if capture is not None: capture["act.first_conv"] = out
        for i, s in enumerate(self.stage_list):
            out = s(out)
            if capture is not None: capture[f"act.stage_list.{i}"] = out
        out = out.mean(-1)
        if capture is not None: capture["act.pooled"] = out
        return self.dense(out)


PRESETS = {
    "ecgfounder": (64, [64, 160, 160, 400, 400, 1024, 1024], [2, 2, 2, 3, 3, 4, 4]),
    "small": (16, [16, 32, 32, 80, 80, 256, 256], [2, 2, 2, 3, 3, 4, 4]),
    "tiny": (16, [16, 16, 32, 32, 48, 48, 64], [1, 1, 1, 1, 1, 2, 1]),
}

# name: (preset, classes, batch, length, full gradients?, use_bn)
CASES = {
    "tiny-L1000": ("tiny", 5, 2, 1000, True, False),
    "tiny-L5000": ("tiny", 71, 1, 5000, True, False),
    "tiny-odd-L777": ("tiny", 3, 3, 777, True, False),
    "tiny-bn-L1000": ("tiny", 5, 4, 1000, True, True),
    "small-L1000": ("small", 71, 2, 1000, False, False),
}
# Gradients kept for the small preset (its full gradient set would be another 9 MB).
SMALL_GRADS = ["first_conv.conv.weight", "first_conv.conv.bias", "stage_list.0.block_list.0.conv1.conv.weight",
               "stage_list.3.block_list.0.conv2.conv.weight", "stage_list.5.block_list.2.se_fc1.weight",
               "stage_list.6.block_list.3.conv3.conv.bias", "dense.weight", "dense.bias"]


def make_case(out_dir, name, seed):
    preset, classes, batch, L, full, use_bn = CASES[name]
    base, filters, blocks = PRESETS[preset]
    torch.manual_seed(seed)
    model = Net1D(12, base, filters, blocks, classes, use_bn=use_bn)
    if use_bn:  # non-trivial affine parameters and running statistics
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.weight.data.uniform_(0.5, 1.5); m.bias.data.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 2.0)
    torch.save({"state_dict": model.state_dict(), "epoch": 3}, os.path.join(out_dir, f"{name}.pth"))
    x = torch.randn(batch, 12, L)
    y = (torch.rand(batch, classes) < 0.3).float()
    ref = {"input": x, "targets": y}
    model.eval()
    with torch.no_grad():
        cap = {}
        ref["logits"] = model(x, cap)
        if full or name.startswith("small"):
            ref.update(cap)
    if use_bn:
        model.train()  # batch statistics; dropout is not applied by Net1D with use_do=False
    logits = model(x)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    loss.backward()
    ref["loss"] = loss.detach().reshape(1)
    if use_bn:
        ref["train_logits"] = logits.detach()
        for k, v in model.state_dict().items():
            if "running" in k: ref["after_train." + k] = v.clone().float()
    for k, p in model.named_parameters():
        if p.grad is None:  # BatchNorm parameters when use_bn is False
            continue
        if full or k in SMALL_GRADS:
            ref["grad." + k] = p.grad.detach().clone()
        ref["gradnorm." + k] = p.grad.detach().norm().reshape(1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    opt.step()
    for k, p in model.named_parameters():
        if p.grad is not None and (full or k in SMALL_GRADS):
            ref["adamw." + k] = p.detach().clone()
    save_file({k: v.contiguous().float() for k, v in ref.items()}, os.path.join(out_dir, f"{name}.ref.safetensors"))
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, loss {loss.item():.6f}")


def primitives(out_dir):
    """Small op-level references: conv1d (strided, grouped, padded), maxpool, losses, optimisers."""
    torch.manual_seed(7)
    r = {}
    x = torch.randn(2, 6, 23, requires_grad=True)
    w = torch.randn(9, 2, 5, requires_grad=True)
    b = torch.randn(9, requires_grad=True)
    y = F.conv1d(F.pad(x, (1, 3)), w, b, stride=3, groups=3)
    g = torch.randn_like(y)
    y.backward(g)
    r.update({"conv.x": x, "conv.w": w, "conv.b": b, "conv.y": y, "conv.g": g,
              "conv.dx": x.grad, "conv.dw": w.grad, "conv.db": b.grad})
    x2 = torch.randn(2, 3, 11, requires_grad=True)
    p = F.max_pool1d(F.pad(x2, (1, 1)), 3, 2)
    g2 = torch.randn_like(p)
    p.backward(g2)
    r.update({"pool.x": x2, "pool.y": p, "pool.g": g2, "pool.dx": x2.grad})
    logits = torch.randn(6, 4, requires_grad=True)
    t = (torch.rand(6, 4) < 0.4).float()
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0])
    l = F.binary_cross_entropy_with_logits(logits, t, pos_weight=pw)
    l.backward()
    r.update({"bce.logits": logits, "bce.targets": t, "bce.pos_weight": pw, "bce.loss": l.reshape(1), "bce.dlogits": logits.grad})
    lg = torch.randn(5, 7, requires_grad=True)
    cls = torch.tensor([0, 6, 3, 3, 1])
    ce = F.cross_entropy(lg, cls)
    ce.backward()
    r.update({"ce.logits": lg, "ce.targets": cls.float(), "ce.loss": ce.reshape(1), "ce.dlogits": lg.grad})
    # Optimisers: 3 steps on fixed gradients.
    for name, make in [("sgd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True)),
                       ("adam", lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1)),
                       ("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1))]:
        torch.manual_seed(11)
        p0 = torch.randn(10)
        grads = [torch.randn(10) for _ in range(3)]
        param = nn.Parameter(p0.clone())
        opt = make([param])
        for gr in grads:
            param.grad = gr.clone()
            opt.step()
        r[f"{name}.p0"] = p0
        for i, gr in enumerate(grads):
            r[f"{name}.g{i}"] = gr
        r[f"{name}.p3"] = param.detach().clone()
    # Element-wise, reduction and layout ops: output and gradient for a fixed upstream gradient.
    torch.manual_seed(13)
    base = torch.randn(2, 3, 4)
    pos = base.abs() + 0.5
    r["ops.x"], r["ops.pos"], r["ops.y"] = base, pos, torch.randn(3, 1)
    ops = {
        "add": lambda x: x + r["ops.y"], "sub": lambda x: x - r["ops.y"], "mul": lambda x: x * r["ops.y"],
        "div": lambda x: x / (r["ops.y"].abs() + 0.5), "neg": lambda x: -x, "exp": torch.exp,
        "log": lambda x: torch.log(x.abs() + 0.5), "sqrt": lambda x: torch.sqrt(x.abs() + 0.5),
        "abs": torch.abs, "sigmoid": torch.sigmoid, "swish": lambda x: x * torch.sigmoid(x), "relu": torch.relu,
        "tanh": torch.tanh, "square": lambda x: x * x, "pow": lambda x: (x.abs() + 0.5) ** 2.5,
        "affine": lambda x: x * -1.5 + 2, "sum1": lambda x: x.sum(1), "mean02": lambda x: x.mean((0, 2)),
        "max2": lambda x: x.max(2).values, "min1": lambda x: x.min(1).values,
        "log_softmax1": lambda x: F.log_softmax(x, 1), "softmax2": lambda x: F.softmax(x, 2),
        "permute": lambda x: x.permute(2, 0, 1), "slice": lambda x: x[:, :, 1:4:2],
        "pad": lambda x: F.pad(x.transpose(1, 2), (2, 1), value=3.0).transpose(1, 2),
        "concat": lambda x: torch.cat([x, x * 2], 1), "expand": lambda x: x.expand(5, 2, 3, 4),
        "index_select": lambda x: x[[1, 0, 1]], "matmul": lambda x: x @ torch.ones(4, 5) * 0.5,
    }
    for name, fn in ops.items():
        x = base.clone().requires_grad_(True)
        out = fn(x)
        g = torch.randn_like(out)
        out.backward(g)
        r[f"ops.{name}.out"], r[f"ops.{name}.g"], r[f"ops.{name}.dx"] = out.detach(), g, x.grad
    save_file({k: v.detach().contiguous().float() for k, v in r.items()}, os.path.join(out_dir, "primitives.ref.safetensors"))


def malformed(out_dir):
    """Checkpoints a loader must refuse with a clear error."""
    src = os.path.join(out_dir, "tiny-L1000.pth")
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        pkl = next(n for n in names if n.endswith("data.pkl"))
        evil = b"\x80\x02cos\nsystem\nq\x00X\x06\x00\x00\x00echo hq\x01\x85q\x02Rq\x03."
        with zipfile.ZipFile(os.path.join(out_dir, "malicious-os-system.pth"), "w") as o:
            for n in names:
                o.writestr(n, evil if n == pkl else z.read(n))
    sd = torch.load(src)["state_dict"]
    sd["dense.weight"] = torch.zeros(5, 3)  # shape does not match the keys' configuration
    torch.save(sd, os.path.join(out_dir, "wrong-shape.pth"))
    sd = {k: v.half() for k, v in torch.load(src)["state_dict"].items()}
    torch.save(sd, os.path.join(out_dir, "tiny-L1000-half-bare.pth"), pickle_protocol=4)


def verify(st_path, ckpt_path):
    sd = torch.load(ckpt_path)["state_dict"]
    mine = load_file(st_path)
    worst = 0.0
    for k, v in mine.items():
        worst = max(worst, (v - sd[k].float()).abs().max().item())
    missing = [k for k in sd if "bn" not in k and k not in mine]
    print(f"{st_path}: {len(mine)} tensors, max |diff| vs {ckpt_path} = {worst:.3g}, missing: {missing}")
    return 0 if worst == 0 and not missing else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--verify-safetensors":
        sys.exit(verify(sys.argv[2], sys.argv[3]))
    out = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/golden"
    os.makedirs(out, exist_ok=True)
    for i, name in enumerate(CASES):
        make_case(out, name, 1000 + i)
    primitives(out)
    malformed(out)
