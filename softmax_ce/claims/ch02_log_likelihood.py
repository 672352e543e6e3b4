"""Claims of chapter 2 (对数似然, ``chapters/02_log_likelihood.ipynb``).

Every statement of the second source document that the chapter mirrors is registered here with
its verdict, together with the chapter's own results (``Verdict.BOOK``). The checks live in the
notebook's cells (``check("ch2....", ...)``) and in ``tests/test_ch02_log_likelihood.py``.
"""

from __future__ import annotations

from softmax_ce.claims import Claim, Verdict

_CH = "02_log_likelihood"

CLAIMS: list[Claim] = [
    # --- 从二分类到多分类 ---------------------------------------------------------------------
    Claim(
        id="ch2.bernoulli-likelihood",
        chapter=_CH,
        section="ch2-binary-to-multiclass",
        statement=(
            "二分类标签 $y\\in\\{0,1\\}$ 的伯努利似然 $p^{y}(1-p)^{1-y}$ 在 $y=1$ 时取 $p$、"
            "$y=0$ 时取 $1-p$，其对数为 $y\\log p+(1-y)\\log(1-p)$；取负即二元交叉熵。"
        ),
        verdict=Verdict.HOLDS,
        source="在二分类问题中，我们有：$P(Y=1|x) = p, \\quad P(Y=0|x) = 1-p$",
    ),
    Claim(
        id="ch2.two-class-softmax-is-sigmoid",
        chapter=_CH,
        section="ch2-binary-to-multiclass",
        statement=(
            "$K=2$ 时 softmax 给出 $\\hat y_2=\\sigma(z_2-z_1)$：二分类的 logistic 模型正是"
            "多分类 softmax 模型的特例，两类交叉熵等于以 logit 差为输入的二元交叉熵。"
        ),
        verdict=Verdict.HOLDS,
        source="扩展到多分类时，使用 softmax 函数得到概率分布",
    ),
    Claim(
        id="ch2.softmax-component-notation",
        chapter=_CH,
        section="ch2-binary-to-multiclass",
        statement=(
            "$P(Y=i|x)$ 是向量 $\\operatorname{softmax}(z)$ 的第 $i$ 个分量；对单个标量 $z_i$ 做 "
            "softmax 恒等于 1。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="$P(Y=i|x) = \\text{softmax}(z_i) = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$",
        assumption="把 $\\text{softmax}(z_i)$ 读作整个 logit 向量的 softmax 的第 $i$ 个分量 $\\operatorname{softmax}(z)_i$。",
    ),
    # --- 独立性假设 -----------------------------------------------------------------------------
    Claim(
        id="ch2.independence-assumption",
        chapter=_CH,
        section="ch2-independence",
        statement=(
            "$P(Y|X;\\theta)=\\prod_i P(y^{(i)}|x^{(i)};\\theta)$ 成立的确切条件是：给定全部输入 $X$ 时"
            "各标签条件独立，且每个 $y^{(i)}$ 只通过自己的 $x^{(i)}$ 依赖 $X$。标签（边缘）相互独立"
            "既不充分也不必要。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="关键假设：每个样本的标签都是独立绘制的。",
        assumption=(
            "给定 $X$ 时 $y^{(1)},\\dots,y^{(N)}$ 条件独立，且 "
            "$P(y^{(i)}|X;\\theta)=P(y^{(i)}|x^{(i)};\\theta)$（通常由“样本对 $(x^{(i)},y^{(i)})$ "
            "独立同分布”保证）。"
        ),
    ),
    Claim(
        id="ch2.independence-two-conditions",
        chapter=_CH,
        section="ch2-independence",
        statement=(
            "原文 2.3 节的两条含义（只依赖自身特征；不同样本的标签生成相互独立）合起来正是所需假设，"
            "前提是“相互独立”指给定输入后的条件独立。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source=(
            "每个样本的标签 $y^{(i)}$ 只依赖于其自身的特征 $x^{(i)}$；"
            "不同样本之间的标签生成是相互独立的"
        ),
        assumption="“相互独立”读作给定输入 $X$ 的条件独立。",
    ),
    # --- 为什么取对数 ---------------------------------------------------------------------------
    Claim(
        id="ch2.product-underflows",
        chapter=_CH,
        section="ch2-why-log",
        statement=(
            "逐样本概率的乘积在 float64 中下溢为精确的 0.0，对数之和仍是有限数；下溢发生时的样本数"
            "由单元格算出。"
        ),
        verdict=Verdict.HOLDS,
        source="将乘积转换为求和，避免数值下溢",
    ),
    Claim(
        id="ch2.log-turns-product-into-sum",
        chapter=_CH,
        section="ch2-why-log",
        statement="对正数 $P_i$ 与任意 $N$：$\\log\\prod_{i=1}^N P_i=\\sum_{i=1}^N\\log P_i$。",
        verdict=Verdict.HOLDS,
        source="对数能将乘法转换为加法，简化计算",
    ),
    Claim(
        id="ch2.log-monotone-same-argmax",
        chapter=_CH,
        section="ch2-why-log",
        statement=(
            "$\\log$ 在 $(0,\\infty)$ 上严格递增（导数 $1/x>0$），所以 $L(\\theta)$ 与 $\\log L(\\theta)$ "
            "的最大值点相同。"
        ),
        verdict=Verdict.HOLDS,
        source="对数函数是单调递增的，不改变最优解",
    ),
    Claim(
        id="ch2.negate-and-minimize",
        chapter=_CH,
        section="ch2-why-log",
        statement="最小化 $-\\log L(\\theta)$ 与最大化 $L(\\theta)$ 的解相同。",
        verdict=Verdict.HOLDS,
        source="取负并最小化，等价于最大化原似然函数",
    ),
    Claim(
        id="ch2.log-gradient-simpler",
        chapter=_CH,
        section="ch2-why-log",
        statement=(
            "$\\nabla\\log L=\\sum_i\\nabla\\log P_i$ 是逐样本项之和；而 $\\nabla L=L\\,\\nabla\\log L$ "
            "带着整个乘积 $L$，在 float64 中随 $L$ 一起下溢为 0。"
        ),
        verdict=Verdict.HOLDS,
        source="计算梯度时形式更简单",
    ),
    Claim(
        id="ch2.maximum-entropy",
        chapter=_CH,
        section="ch2-why-log",
        statement=(
            "softmax 回归的最大似然解满足矩匹配 $\\sum_i p^{(i)}x^{(i)\\top}=\\sum_i y^{(i)}x^{(i)\\top}$，"
            "这正是以这些特征期望为约束的最大熵问题的约束；两问题互为对偶。原文没有给出任何论证。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="与最大熵原理相符",
        assumption=(
            "仅指对数线性（softmax 回归）模型的最大似然与“特征期望匹配约束下的最大熵”对偶"
            "（Berger 等 1996）；对一般模型（如深度网络的 logit）并无此对应。"
        ),
    ),
    # --- 详细推导 -------------------------------------------------------------------------------
    Claim(
        id="ch2.one-hot-picks-true-class",
        chapter=_CH,
        section="ch2-derivation",
        statement=(
            "类别分布的似然 $\\prod_j \\hat y_j^{\\,y_j}$ 在 one-hot 标签下等于 $\\hat y_c$；"
            "所以 $-\\sum_j y_j\\log\\hat y_j=-\\log\\hat y_c=-\\log P(y|x)$，只取真实类别一项。"
        ),
        verdict=Verdict.HOLDS,
        source="$l(y^{(i)}, \\hat{y}^{(i)}) = -\\sum_{j=1}^q y^{(i)}_j \\log \\hat{y}^{(i)}_j$",
    ),
    Claim(
        id="ch2.dataset-loss-is-nll",
        chapter=_CH,
        section="ch2-derivation",
        statement=(
            "逐样本损失之和等于整个数据集的负对数似然 $-\\log P(Y|X)$（用 mpmath 高精度乘积核对）。"
        ),
        verdict=Verdict.HOLDS,
        source="$-\\log P(Y|X) = \\sum_{i=1}^n -\\log P(y^{(i)}|x^{(i)})$；总损失 $L = \\sum_{i=1}^n l(y^{(i)}, \\hat{y}^{(i)})$",
    ),
    Claim(
        id="ch2.mean-vs-sum",
        chapter=_CH,
        section="ch2-derivation",
        statement=(
            "损失取和或取平均（除以 $N$）不改变最小值点，只把梯度缩放 $N$ 倍"
            "（从而改变给定学习率下的步长）。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.source-nll-called-log-likelihood",
        chapter=_CH,
        section="ch2-derivation",
        statement=(
            "原文 3.2 节的 $-\\sum_i\\sum_j y_{ij}\\log p_{ij}$ 是负对数似然（损失，$\\ge 0$），"
            "不是对数似然（$\\le 0$）。"
        ),
        verdict=Verdict.FAILS,
        source="多分类情况下的对数似然为：$-\\sum_{i=1}^n \\sum_{j=1}^k y_{ij} \\log p_{ij}$",
        counterexample=(
            "种子数据上原文表达式为正，而对数似然 $\\sum_i\\log p^{(i)}_{c^{(i)}}$ 为负，二者互为相反数。"
        ),
    ),
    # --- 损失的界 -------------------------------------------------------------------------------
    Claim(
        id="ch2.loss-nonnegative",
        chapter=_CH,
        section="ch2-bounds",
        statement="因为 $0<p\\le 1$，$-\\log p\\ge 0$，所以损失非负。",
        verdict=Verdict.HOLDS,
        source="由于 $p_{ij} \\leq 1$，因此 $-\\log p_{ij} \\geq 0$",
    ),
    Claim(
        id="ch2.loss-gap-form-positive",
        chapter=_CH,
        section="ch2-bounds",
        statement=(
            "硬标签下 $\\ell=-\\log\\operatorname{softmax}(z)_c=\\log\\bigl(1+\\sum_{k\\ne c}e^{z_k-z_c}\\bigr)>0$"
            "对一切有限 logit 成立：下确界 0 只在 $z_c-\\max_{k\\ne c}z_k\\to\\infty$ 时逼近。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.zero-loss-not-attained",
        chapter=_CH,
        section="ch2-bounds",
        statement="有限 logit 下损失永远取不到 0；0 只是下确界。",
        verdict=Verdict.FAILS,
        source="完美预测时达到最小值 0",
        counterexample=(
            "softmax 的输出对有限 logit 恒有 $p_c<1$；例如 logit 差 40 时精确值 "
            "$\\log(1+e^{-40})\\approx 4.2\\times10^{-18}>0$。"
        ),
    ),
    Claim(
        id="ch2.float-loss-rounds-to-zero",
        chapter=_CH,
        section="ch2-bounds",
        statement=(
            "浮点中先算概率再取对数，$-\\log p_c$ 在 logit 差 $d$ 介于 $-\\log u$ 与 $-\\log u+\\ln 2$ "
            "之间（$u$ 为单位舍入）起精确为 0：float64 约 36.7，float32 约 16.6，float16 约 8.3；"
            "本包在对数空间用 log1p 计算，要到 $e^{-d}$ 本身下溢（$d$ 约为 $-\\log$ 最小次正规数）才为 0；"
            "照字面计算 $\\operatorname{logsumexp}(z)-z_c$ 则在真实类别 logit 很大时更早舍入为 0。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.soft-label-infimum",
        chapter=_CH,
        section="ch2-bounds",
        statement=(
            "软标签 $y$ 下损失的下确界是熵 $H(y)$：若所有 $y_j>0$，在 $z=\\log y+c$ 处取到；"
            "若某些 $y_j=0$ 则与硬标签一样取不到。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.loss-unbounded-above",
        chapter=_CH,
        section="ch2-bounds",
        statement="$p\\to 0^+$ 时 $-\\log p\\to\\infty$：损失无上界（logit 差为 $-d$ 时损失约为 $d$）。",
        verdict=Verdict.HOLDS,
        source="无上界性质：当预测概率接近 0 时，损失趋向无穷大",
    ),
    Claim(
        id="ch2.overconfidence-penalty",
        chapter=_CH,
        section="ch2-bounds",
        statement=(
            "对单个样本，被重罚的是“自信且错误”的预测；“自信且正确”的预测损失趋于 0，受到奖励。"
            "“惩罚过度自信”只在期望意义下成立：对数损失是严格恰当评分规则，真实条件概率为 $q$ 时"
            "期望损失在 $p=q$ 唯一最小，报得比 $q$ 更极端会增加期望损失。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="这惩罚了模型的过度自信预测",
        assumption=(
            "“过度自信”指自信而错误的单样本预测，或指相对真实条件概率过于极端的预测（按期望损失计）。"
        ),
    ),
    # --- 梯度 -----------------------------------------------------------------------------------
    Claim(
        id="ch2.source-gradient-sign",
        chapter=_CH,
        section="ch2-gradient",
        statement=(
            "对原文自己定义的 $\\ell(\\theta)=\\log L(\\theta)$（对数似然），"
            "$\\partial\\ell/\\partial z_i=y_i-p_i$；$p_i-y_i$ 是损失 $-\\ell$ 的梯度。"
        ),
        verdict=Verdict.FAILS,
        source="对任意 logit $z_i$ 的导数形式为：$\\frac{\\partial \\ell}{\\partial z_i} = p_i - y_i$",
        counterexample="种子 logit 上对数似然的中心差分梯度等于 $y-p$，与原文符号相反。",
    ),
    Claim(
        id="ch2.gradient-needs-sum-one",
        chapter=_CH,
        section="ch2-gradient",
        statement=(
            "损失 $-\\sum_j y_j\\log\\operatorname{softmax}(z)_j$ 的梯度一般是 $(\\sum_j y_j)\\,p-y$；"
            "只有 $\\sum_j y_j=1$ 时才是 $p-y$。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="梯度是预测概率与真实标签的差",
        assumption="标签是概率分布：$\\sum_j y_j=1$（one-hot 或软标签），且 $\\ell$ 指损失（负对数似然）。",
    ),
    Claim(
        id="ch2.gradient-residual-analogy",
        chapter=_CH,
        section="ch2-gradient",
        statement=(
            "与线性回归平方误差 $\\tfrac12(\\hat y-y)^2$ 对预测的梯度 $\\hat y-y$ 同形："
            "二者都是“预测减目标”的残差。"
        ),
        verdict=Verdict.HOLDS,
        source="与回归问题中的残差形式相似",
    ),
    Claim(
        id="ch2.gradient-cheap",
        chapter=_CH,
        section="ch2-gradient",
        statement=(
            "有了 $p$ 之后梯度只需 $K$ 次减法；与经 $K\\times K$ Jacobian 的链式法则 "
            "$J^\\top(-y/p)$ 结果相同。"
        ),
        verdict=Verdict.HOLDS,
        source="这种形式使得梯度计算高效",
    ),
    # --- 原文的代码配方 -------------------------------------------------------------------------
    Claim(
        id="ch2.recipe-stable-softmax",
        chapter=_CH,
        section="ch2-recipes",
        statement=(
            "原文 stable_softmax 减去每行最大值后不再溢出，对 2 维 (N, K) 输入与本包 softmax 一致；"
            "但它把类别轴写死为 axis=1，1 维输入直接报错。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="减去最大值防止溢出",
        assumption="输入是 2 维 (N, K) 数组，类别在第 1 轴。",
    ),
    Claim(
        id="ch2.recipe-clip-caps-loss",
        chapter=_CH,
        section="ch2-recipes",
        statement=(
            "ε 截断把单样本损失封顶在 $-\\log 10^{-15}\\approx 34.54$；真实损失更大时配方给出有偏的小值。"
        ),
        verdict=Verdict.FAILS,
        source="损失计算的稳定实现：`epsilon = 1e-15  # 防止取对数时出现零`",
        counterexample="logit 差 50 时真实损失约 50.0，配方返回 34.54。",
    ),
    Claim(
        id="ch2.recipe-clip-zero-gradient",
        chapter=_CH,
        section="ch2-recipes",
        statement=(
            "真实类别概率低于 ε 时，截断后的损失对 logit 是常数：有限差分梯度为 0，而真实梯度 "
            "$p_c-1\\approx-1$。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.recipe-clip-dtypes",
        chapter=_CH,
        section="ch2-recipes",
        statement=(
            "float32 中 $1-10^{-15}$ 舍入为 1（上截断失效）；float16 中 $10^{-15}$ 舍入为 0，"
            "截断失效，$\\log 0=-\\infty$，$0\\cdot(-\\infty)$ 得 nan。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.recipe-sum-and-sign",
        chapter=_CH,
        section="ch2-recipes",
        statement=(
            "原文 log_likelihood 返回对数似然（$\\le 0$），stable_cross_entropy 返回其相反数，"
            "且都是对批次求和：等于本包 cross_entropy(reduction='sum')，是默认平均值的 $N$ 倍。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch2.log-of-probabilities-underflows",
        chapter=_CH,
        section="ch2-recipes",
        statement=(
            "先算概率再取对数会在 $p$ 下溢时得到 $-\\infty$（截断正是为掩盖这一点）；"
            "log_softmax 直接在对数空间计算，给出精确的有限值。"
        ),
        verdict=Verdict.BOOK,
    ),
    # --- 与信息论的联系 -------------------------------------------------------------------------
    Claim(
        id="ch2.nll-is-cross-entropy",
        chapter=_CH,
        section="ch2-information-theory",
        statement=(
            "单样本损失 $-\\sum_j y_j\\log\\hat y_j$ 就是交叉熵 $H(y,\\hat y)$；数据集上的平均负对数似然"
            "是各样本交叉熵的平均。"
        ),
        verdict=Verdict.HOLDS,
        source="与信息论中的交叉熵概念自然对应",
    ),
    Claim(
        id="ch2.cross-entropy-bits",
        chapter=_CH,
        section="ch2-information-theory",
        statement=(
            "$H(y,\\hat y)$ 是用为 $\\hat y$ 设计的最优码去编码来自 $y$ 的符号时的平均码长；"
            "以 2 为底才是比特，自然对数给出奈特（1 nat = $1/\\ln 2$ bit）；编码真实分布本身最少需要 $H(y)$。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="交叉熵表示编码真实分布所需的平均比特数",
        assumption="对数以 2 为底，且码是按预测分布 $\\hat y$ 设计的（不是按真实分布）。",
    ),
    Claim(
        id="ch2.cross-entropy-kl-equivalence",
        chapter=_CH,
        section="ch2-information-theory",
        statement=(
            "$H(y,\\hat y)=H(y)+D_{\\mathrm{KL}}(y\\|\\hat y)$；当 $y$ 不依赖模型参数时 $H(y)$ 是常数，"
            "两者的最小化等价；$y$ 依赖模型时（如 $y=\\hat y$）不再等价。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="最小化交叉熵等价于最小化KL散度",
        assumption="目标分布 $y$ 不依赖模型参数 $\\theta$。",
    ),
]
