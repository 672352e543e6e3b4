"""Claims of chapter 1 (Softmax, ``chapters/01_softmax.ipynb``).

Every statement of the first source document (《Softmax》) that the chapter mirrors is registered
here with its verdict, together with the chapter's own results (``Verdict.BOOK``). Each claim is
checked in a cell of the notebook by ``check("ch1....", ...)``.
"""

from __future__ import annotations

from softmax_ce.claims import Claim, Verdict

_CH = "01_softmax"


def _claim(id: str, section: str, statement: str, verdict: Verdict = Verdict.BOOK,
           **kwargs: str) -> Claim:
    return Claim(id=id, chapter=_CH, section=section, statement=statement, verdict=verdict,
                 **kwargs)


CLAIMS: list[Claim] = [
    # --- 定义 ------------------------------------------------------------------------------------
    _claim(
        "ch1.notation-n-vs-k", "ch1-definition",
        "softmax 把 $\\mathbb{R}^K$ 映到 $\\mathbb{R}^K$：原文的“n 维”与 $K$ 是同一个数（类别数）。",
        Verdict.HOLDS_UNDER,
        source="Softmax函数是一个将n维实值向量转换为概率分布的函数。对于输入向量 $\\mathbf{z} = (z_1, ..., z_K)$",
        assumption="原文的 $n$ 就是类别数 $K$；本书统一写 $K$。",
    ),
    _claim(
        "ch1.open-interval", "ch1-definition",
        "精确算术中对有限输入（$K\\ge 2$）每个 $p_j\\in(0,1)$；浮点中 $p_j$ 可以恰为 0 或 1"
        "（logit 差足够大时最大概率舍入为 1、最小概率下溢为 0；各浮点类型的阈值在单元格中计算）。",
        Verdict.HOLDS_UNDER,
        source="这个函数将任意实值输入映射到(0,1)区间内",
        assumption="精确算术、有限输入且 $K\\ge 2$；浮点结果只保证落在闭区间 $[0,1]$。",
    ),
    _claim(
        "ch1.sums-to-one", "ch1-definition",
        "softmax 的输出之和为 1；包的实现在 float32/float64 中误差不超过 4 个机器精度。",
        Verdict.HOLDS,
        source="且所有输出值的和为1，满足概率分布的基本要求",
    ),
    # --- 为什么使用：数学特性 ------------------------------------------------------------------
    _claim(
        "ch1.softmax-nonlinear", "ch1-why-properties",
        "softmax 是 logit 的非线性函数，例如 $\\operatorname{softmax}(2z)\\ne 2\\,\\operatorname{softmax}(z)$。",
    ),
    _claim(
        "ch1.convex-regions", "ch1-why-properties",
        "softmax 回归 $z=Wx+b$ 的每个判别区域是半空间之交（凸多面体），且任意仿射 logit 差满足 "
        "$d(0,0)+d(1,1)=d(0,1)+d(1,0)$。",
    ),
    _claim(
        "ch1.nonlinear-features", "ch1-why-properties",
        "softmax 不能为特征引入非线性关系：softmax 回归的判别边界是超平面，分不开 XOR；"
        "特征中的非线性（如 $x_1x_2$）才能分开。",
        Verdict.FAILS,
        source="非线性映射：Softmax能够捕捉特征之间的非线性关系",
        counterexample="softmax 回归的判别区域是凸多面体（定理），XOR 四点无法分开："
                       "10 万个随机线性模型中 0 个分开，而加入特征 $x_1x_2$ 后一个线性 softmax 即可分开。",
    ),
    _claim(
        "ch1.differentiable", "ch1-why-properties",
        "softmax 处处可微；其解析 Jacobian 与中心差分在 $10^{-8}$ 内一致。",
        Verdict.HOLDS,
        source="可微性：函数处处可导，便于使用梯度下降等优化方法",
    ),
    _claim(
        "ch1.probability-output", "ch1-why-properties",
        "softmax 的输出非负、不超过 1、和为 1，是一个概率分布。",
        Verdict.HOLDS,
        source="概率输出：自然地产生概率分布，适合多分类问题",
    ),
    _claim(
        "ch1.positivity-not-stability", "ch1-why-properties",
        "输出为正是数学性质，不是数值稳定性：朴素的 $e^{z_j}/\\sum_k e^{z_k}$ 在 $z=(1000,0)$ 上得到 nan，"
        "且浮点结果可以恰为 0。",
        Verdict.FAILS,
        source="数值稳定性：指数函数保证输出恒正，避免了负概率",
        counterexample="naive_softmax([1000, 0]) 溢出为 nan（伴随 RuntimeWarning），"
                       "稳定实现给出 [1, 0]，其中第二个分量恰为 0。",
    ),
    # --- 为什么使用：与其他激活函数比较 -----------------------------------------------------------
    _claim(
        "ch1.multiclass-natural", "ch1-why-comparison",
        "两类 softmax 等于 logit 差的 sigmoid；$K>2$ 时 $K$ 个独立 sigmoid 之和一般不为 1，"
        "softmax 总是给出分布。",
        Verdict.HOLDS,
        source="相比sigmoid等函数，Softmax具有以下优势：处理多分类问题更自然",
    ),
    _claim(
        "ch1.competition", "ch1-why-comparison",
        "$\\partial p_j/\\partial z_k=-p_jp_k<0$（$j\\ne k$）：提高一个 logit 使其他所有概率下降、自身概率上升。",
        Verdict.HOLDS,
        source="输出之间存在竞争关系（此消彼长）",
    ),
    _claim(
        "ch1.order-preserved", "ch1-why-comparison",
        "softmax 保持顺序（$z_j>z_k\\iff p_j>p_k$），但不保持比例：$p_j/p_k=e^{z_j-z_k}$。",
        Verdict.HOLDS_UNDER,
        source="保持类别之间的相对大小关系",
        assumption="“相对大小”指顺序（精确算术中）；概率之比等于 logit 之差的指数，而非 $z_j/z_k$。",
    ),
    # --- 数学性质：导数 ---------------------------------------------------------------------------
    _claim(
        "ch1.jacobian", "ch1-derivative",
        "$\\partial p_j/\\partial z_k=p_j(\\delta_{jk}-p_k)$，即 $J=\\mathrm{diag}(p)-pp^{\\top}$"
        "（SymPy：$K=2,\\dots,6$ 与符号 $K$；与 softmax_jacobian、softmax_jvp 数值一致）。",
        Verdict.HOLDS,
        source="$\\frac{\\partial p_i}{\\partial z_j} = p_i(1-p_i)$ if $i=j$；$-p_ip_j$ if $i\\neq j$。"
               "推导过程：使用链式法则和指数函数求导。",
    ),
    _claim(
        "ch1.jacobian-properties", "ch1-derivative",
        "$J$ 对称、行和为 0、半正定（$v^{\\top}Jv=\\mathrm{Var}_p(v)$），所有 $p_j>0$ 时秩为 $K-1$、"
        "零空间为 $\\mathrm{span}(\\mathbf{1})$。",
    ),
    # --- 数学性质：数值稳定性 ---------------------------------------------------------------------
    _claim(
        "ch1.max-shift", "ch1-stability",
        "$\\operatorname{softmax}(z+c\\mathbf{1})=\\operatorname{softmax}(z)$，故减去 $\\max(z)$ 的公式与原式相等且不会上溢。",
        Verdict.HOLDS,
        source="为避免数值溢出，通常会进行以下变换：$p_i = \\frac{e^{z_i-\\max(\\mathbf{z})}}"
               "{\\sum_{j=1}^K e^{z_j-\\max(\\mathbf{z})}}$",
    ),
    _claim(
        "ch1.naive-overflow", "ch1-stability",
        "朴素 softmax 在最大 logit 越过 exp 的上溢阈值（float16/32/64 各自的 $\\log(\\text{finfo.max})$，"
        "对位模式二分查找确定）一个浮点数时得到 nan，在阈值处仍有限；稳定实现在两侧都正确。",
    ),
    _claim(
        "ch1.exp-underflow", "ch1-stability",
        "所有 logit 都低于 exp 的下溢阈值时，朴素 softmax 计算 $0/0$ 得到 nan，稳定实现不受影响。",
    ),
    _claim(
        "ch1.log-needs-log-softmax", "ch1-stability",
        "减去最大值不足以计算对数概率：$\\log\\operatorname{softmax}(1000,1)$ 经 $p$ 计算得 $[0,-\\infty]$，"
        "log_softmax 给出正确的 $[0,-999]$。",
    ),
    # --- 应用：多分类 -----------------------------------------------------------------------------
    _claim(
        "ch1.argmax-prediction", "ch1-multiclass",
        "选择概率最高的类别等价于对 logit 取 argmax：$\\arg\\max_j p_j=\\arg\\max_j z_j$。",
        Verdict.HOLDS,
        source="选择概率最高的类别作为预测结果",
    ),
    _claim(
        "ch1.argmax-float-ties", "ch1-multiclass",
        "浮点中 softmax 可以把不同的 logit 映成相同的概率：$z=(0,10^{-17})$ 时 $p=(0.5,0.5)$，"
        "argmax(p) 与 argmax(z) 不同。",
    ),
    # --- 应用：交叉熵 -----------------------------------------------------------------------------
    _claim(
        "ch1.ce-formula", "ch1-cross-entropy",
        "one-hot 标签下 $-\\sum_j y_j\\log p_j=-\\log p_c=\\mathrm{logsumexp}(z)-z_c$，与包的 cross_entropy 一致。",
        Verdict.HOLDS,
        source="$L = -\\sum_{i=1}^K y_i\\log(p_i)$，其中 $y_i$ 是真实标签（one-hot编码），$p_i$ 是Softmax输出的预测概率",
    ),
    _claim(
        "ch1.ce-gradient", "ch1-cross-entropy",
        "交叉熵对 logit 的梯度为 $p-y$（与 cross_entropy_grad 和有限差分一致）。",
    ),
    # --- 应用：温度 -------------------------------------------------------------------------------
    _claim(
        "ch1.temperature-entropy-derivative", "ch1-temperature",
        "$\\partial p_j/\\partial T=-p_j(z_j-\\mathbb{E}_p[z])/T^2$，"
        "$\\mathrm{d}H/\\mathrm{d}T=\\mathrm{Var}_p(z)/T^3\\ge 0$（SymPy $K=2,\\dots,5$，与有限差分一致）。",
    ),
    _claim(
        "ch1.temperature-limits", "ch1-temperature",
        "$T\\to 0^+$ 时 softmax(z/T) 趋于 argmax 的 one-hot（并列最大时为并列类上的均匀分布），"
        "$T\\to\\infty$ 时趋于均匀分布。",
    ),
    _claim(
        "ch1.temperature-smoothing", "ch1-temperature",
        "若 $z$ 不全相等，熵关于 $T$ 严格递增：$T>1$ 更平滑、$T<1$ 更陡峭；若 $z$ 全相等，温度不起作用。",
        Verdict.HOLDS_UNDER,
        source="T > 1：使分布更平滑（软化）；T < 1：使分布更陡峭（硬化）",
        assumption="“平滑”以熵（或最大概率）衡量、与 $T=1$ 比较，且 $z$ 的分量不全相等；单个类别的概率不一定单调。",
    ),
    _claim(
        "ch1.temperature-extremes", "ch1-temperature",
        "随 $T$ 增大，最大概率不增、最小概率不减，但中间类别的概率可以先升后降（不单调）。",
    ),
    # --- 实现注意事项 -----------------------------------------------------------------------------
    _claim(
        "ch1.overflow-tips", "ch1-overflow",
        "减最大值与对数空间计算使 softmax、log_softmax、logsumexp 对 $\\pm 10^{308}$ 的 logit 也不溢出、不告警。",
        Verdict.HOLDS,
        source="1. 减去最大值 2. 使用对数空间计算 3. 避免直接计算极大或极小的指数值",
    ),
    _claim(
        "ch1.log-space-accuracy", "ch1-overflow",
        "$\\log\\operatorname{softmax}(z)_j=(z_j-m)-\\mathrm{log1p}(t)$ 保持满精度，而 $z-\\mathrm{logsumexp}(z)$ "
        "在 logit 很大时因相消损失有效数字（对比 50 位 mpmath 参考值）。",
    ),
    _claim(
        "ch1.efficiency", "ch1-efficiency",
        "向量化的批量 softmax 与逐行循环结果一致；$Jv=p\\odot(v-\\langle p,v\\rangle)$ 无需构造 $J$。",
        Verdict.HOLDS,
        source="向量化运算提高效率；避免不必要的重复计算",
    ),
    # --- 常见问题：梯度消失 -----------------------------------------------------------------------
    _claim(
        "ch1.jacobian-bound", "ch1-vanishing-gradient",
        "$|J_{jk}|\\le 1/4$，在 $z$ 全相等的两类情形取到；两类时 $J_{11}$ 随 logit 差 $\\Delta$ 单调递减、按 $e^{-\\Delta}$ 衰减。",
    ),
    _claim(
        "ch1.vanishing-cause", "ch1-vanishing-gradient",
        "softmax 的饱和由 logit 之间的差距决定：$J(z+c\\mathbf{1})=J(z)$，与 logit 的绝对大小无关。",
        Verdict.HOLDS_UNDER,
        source="原因：当输入值过大或过小时",
        assumption="把“输入值过大或过小”理解为 logit 之间的差距大；整体平移（例如 $z+1000$）不改变梯度。",
    ),
    _claim(
        "ch1.ce-no-saturation", "ch1-vanishing-gradient",
        "自信地犯错时交叉熵梯度 $p-y$ 的范数趋于 $\\sqrt{2}$，而 softmax 输出上平方误差的梯度指数消失。",
    ),
    _claim(
        "ch1.vanishing-batchnorm", "ch1-vanishing-gradient",
        "批归一化不能防止 softmax 饱和：最后一层输入精确标准化后，放大权重仍使 Jacobian 几乎为 0。",
        Verdict.FAILS,
        source="解决：使用归一化技术（如批归一化）",
        counterexample="输入标准化为均值 0、方差 1，权重放大 30 倍时 Jacobian 最大元素的中位数低于 $10^{-6}$；"
                       "而交叉熵梯度在错分样本上的中位范数仍大于 1。",
    ),
    # --- 常见问题：类别不平衡 ---------------------------------------------------------------------
    _claim(
        "ch1.temperature-argmax", "ch1-imbalance",
        "对任意 $T>0$，$\\arg\\max_j\\operatorname{softmax}(z/T)_j=\\arg\\max_j z_j$。",
    ),
    _claim(
        "ch1.imbalance-temperature", "ch1-imbalance",
        "全局温度不改变任何预测，因而不能缓解类别不平衡。",
        Verdict.FAILS,
        source="解决：2. 调整温度参数",
        counterexample="先验 (0.90, 0.08, 0.02) 的三类问题中，T 从 0.25 到 4 预测完全相同，少数类召回率不变；"
                       "logit 调整 $z_j-\\log\\pi_j$ 则提高类别平均召回率。",
    ),
    _claim(
        "ch1.imbalance-weights", "ch1-imbalance",
        "带类别权重的交叉熵 $-\\sum_j w_jq_j\\log p_j$ 在 $p\\propto w\\odot q$ 处最小；"
        "$w\\propto 1/\\pi$ 即 logit 调整，提高类别平均召回率；重采样在期望上等价于同样的加权。",
        Verdict.HOLDS,
        source="解决：1. 使用类别权重 3. 采样技术平衡数据",
    ),
    # --- 高级应用：注意力 -------------------------------------------------------------------------
    _claim(
        "ch1.attention-formula", "ch1-attention",
        "$\\operatorname{softmax}(QK^{\\top}/\\sqrt{d_k})V$ 按行计算 softmax：每个查询的权重非负、和为 1。",
        Verdict.HOLDS,
        source="$\\text{Attention}(Q,K,V) = \\text{softmax}(\\frac{QK^T}{\\sqrt{d_k}})V$",
    ),
    _claim(
        "ch1.attention-variance", "ch1-attention",
        "$q,k$ 的分量独立、均值 0、方差 1 时 $\\mathrm{Var}(q^{\\top}k)=d_k$（蒙特卡洛在 5 个标准误内）。",
    ),
    _claim(
        "ch1.attention-saturation", "ch1-attention",
        "不缩放时注意力分布的熵随 $d_k$ 单调下降、最大权重超过 0.8；除以 $\\sqrt{d_k}$ 后熵基本不随 $d_k$ 变化。",
    ),
    # --- 高级应用：集成学习 -----------------------------------------------------------------------
    _claim(
        "ch1.ensemble-combination", "ch1-ensemble",
        "概率的凸组合仍是分布；平均 logit 后做 softmax 等于各模型概率的归一化几何平均。",
        Verdict.HOLDS,
        source="多模型预测的加权组合",
    ),
    _claim(
        "ch1.ensemble-dynamic-weights", "ch1-ensemble",
        "对得分做 softmax 得到的权重为正、和为 1，提高一个得分使其权重上升、其余下降。",
        Verdict.HOLDS,
        source="动态权重分配",
    ),
    _claim(
        "ch1.confidence", "ch1-ensemble",
        "softmax 输出只有在模型已校准时才可当作置信度；过度自信的模型经温度缩放后 ECE 大幅下降、预测不变。",
        Verdict.HOLDS_UNDER,
        source="预测置信度评估",
        assumption="模型已校准（例如在验证集上做温度缩放）；未校准的 softmax 输出一般过度自信（Guo 等，2017）。",
    ),
]
