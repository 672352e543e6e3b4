"""Claims of chapter 3 (交叉熵损失, ``chapters/03_cross_entropy.ipynb``).

Every statement of the third source document that the chapter mirrors is registered here with
its verdict, together with the chapter's own results (``Verdict.BOOK``). The checks live in the
notebook's cells (``check("ch3....", ...)``) and in ``tests/test_ch03_cross_entropy.py``.
"""

from __future__ import annotations

from softmax_ce.claims import Claim, Verdict

_CH = "03_cross_entropy"

CLAIMS: list[Claim] = [
    # --- 定义与直观理解 -------------------------------------------------------------------------
    Claim(
        id="ch3.definition",
        chapter=_CH,
        section="ch3-definition",
        statement=(
            "$H(y,\\hat y)=-\\sum_{j=1}^{K}y_j\\log\\hat y_j$；对 one-hot 标签 $y=e_c$ 它化为 "
            "$-\\log\\hat y_c$。包的 `cross_entropy` 以 logits 为输入，计算的正是 "
            "$H(y,\\operatorname{softmax}(z))$（概率标签与类别下标两种形式一致）。"
        ),
        verdict=Verdict.HOLDS,
        source="$H(y,\\hat{y}) = -\\sum_{i=1}^n y_i \\log(\\hat{y}_i)$，其中 $n$ 是类别数量",
    ),
    Claim(
        id="ch3.not-a-distance",
        chapter=_CH,
        section="ch3-definition",
        statement=(
            "交叉熵不是距离：$H(y,y)=H(y)>0$（非退化的 $y$），$H(y,\\hat y)\\ne H(\\hat y,y)$；"
            "连 $D_{\\mathrm{KL}}$ 也不对称且不满足三角不等式。"
        ),
        verdict=Verdict.FAILS,
        source="量化预测分布与真实分布的\"距离\"",
        counterexample=(
            "$y=(0.5,0.3,0.2)$：$H(y,y)=H(y)\\approx1.03$ nat $\\ne0$；$H(y,\\hat y)\\ne H(\\hat y,y)$；"
            "伯努利 $a=0.1,b=0.5,c=0.9$：$D(a\\|c)>D(a\\|b)+D(b\\|c)$。"
        ),
    ),
    Claim(
        id="ch3.measures-difference",
        chapter=_CH,
        section="ch3-definition",
        statement=(
            "固定 $y$ 时，$H(y,\\hat y)-D_{\\mathrm{KL}}(y\\|\\hat y)=H(y)$ 与 $\\hat y$ 无关：交叉熵与"
            "差异度量 $D_{\\mathrm{KL}}$ 只差一个常数，按同样的顺序比较各个预测；但它在 $\\hat y=y$ 时"
            "不为 0。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="衡量两个概率分布之间的差异",
        assumption=(
            "$y$ 固定，比较的是不同预测 $\\hat y$ 与同一个 $y$ 的差异；真正为 0 当且仅当两分布相同的"
            "差异度量是 $D_{\\mathrm{KL}}(y\\|\\hat y)=H(y,\\hat y)-H(y)$。"
        ),
    ),
    Claim(
        id="ch3.not-model-uncertainty",
        chapter=_CH,
        section="ch3-definition",
        statement=(
            "交叉熵不衡量模型预测本身的不确定性 $H(\\hat y)$：置信地预测错误的模型 $H(\\hat y)$ 很小而"
            "交叉熵很大；均匀预测的 $H(\\hat y)=\\log K$ 最大而交叉熵只有 $\\log K$。"
        ),
        verdict=Verdict.FAILS,
        source="评估模型预测的不确定性",
        counterexample=(
            "$K=10$，真实类别 1：把 0.99 放在类别 2 上的模型 $H(\\hat y)\\approx0.08$ nat，交叉熵 "
            "$\\approx6.80$；均匀模型 $H(\\hat y)=\\log10\\approx2.30$，交叉熵也只有 2.30。"
        ),
    ),
    # --- 信息论视角 -----------------------------------------------------------------------------
    Claim(
        id="ch3.information-content",
        chapter=_CH,
        section="ch3-information",
        statement=(
            "信息量 $I(x)=-\\log p(x)$ 非负、随 $p(x)$ 严格递减，且对独立事件可加："
            "$I(x,y)=I(x)+I(y)$。"
        ),
        verdict=Verdict.HOLDS,
        source="单个事件的信息量：$I(x) = -\\log(p(x))$；越不可能发生的事件包含的信息量越大",
    ),
    Claim(
        id="ch3.entropy-expected-information",
        chapter=_CH,
        section="ch3-information",
        statement=(
            "熵 $H(p)=-\\sum_j p_j\\log p_j$ 是信息量的期望 $\\mathbb E_p[I]$；"
            "$0\\le H(p)\\le\\log K$，上界在均匀分布处取到，下界在 one-hot 处取到。"
        ),
        verdict=Verdict.HOLDS,
        source="熵表示信息的平均不确定性：$H(X) = -\\sum p(x)\\log(p(x))$",
    ),
    Claim(
        id="ch3.units",
        chapter=_CH,
        section="ch3-information",
        statement=(
            "单位由对数的底决定：自然对数给出奈特（nat），以 2 为底给出比特（bit）；"
            "$H_2=H/\\ln 2$，即 1 nat $=1/\\ln2\\approx1.4427$ bit。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.average-bits",
        chapter=_CH,
        section="ch3-coding",
        statement=(
            "以 2 为底时，$H(p,q)$ 是按为 $q$ 设计的理想码长 $-\\log_2 q_j$ 编码来自 $p$ 的符号时的平均"
            "比特数；真实前缀码的码长必须是整数，用 $\\lceil-\\log_2 q_j\\rceil$ 得到的平均码长落在 "
            "$[H(p,q),\\,H(p,q)+1)$ 内。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="交叉熵表示使用预测分布编码真实分布所需的平均比特数",
        assumption=(
            "对数以 2 为底（自然对数给出的是奈特）；“所需比特数”指理想（可取非整数的）码长 "
            "$-\\log_2 q_j$ 的平均，整数码长的真实前缀码最多多出 1 比特。"
        ),
    ),
    Claim(
        id="ch3.huffman-bounds",
        chapter=_CH,
        section="ch3-coding",
        statement=(
            "为 $p$ 构造的 Huffman 码平均码长 $L$ 满足 $H_2(p)\\le L<H_2(p)+1$；当 $p$ 的各分量都是 "
            "2 的负整数次幂时 $L=H_2(p)$。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.gibbs-inequality",
        chapter=_CH,
        section="ch3-coding",
        statement=(
            "吉布斯不等式：$H(p,q)\\ge H(p)$，当且仅当 $q=p$ 时取等号；用为 $q$ 设计的码编码来自 "
            "$p$ 的符号平均多花 $D_{\\mathrm{KL}}(p\\|q)$。"
        ),
        verdict=Verdict.HOLDS,
        source="当两个分布完全匹配时，编码长度最短",
    ),
    # --- 统计物理类比 ---------------------------------------------------------------------------
    Claim(
        id="ch3.learning-reduces-uncertainty",
        chapter=_CH,
        section="ch3-physics",
        statement=(
            "训练沿梯度下降单调减小的是交叉熵（数据在模型下的平均惊奇度）；模型输出自身的熵 "
            "$H(\\hat y)$ 可以先升后降，软标签下还会一路升高到 $H(y)$。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="就像物理系统趋向最大熵状态：模型学习过程可以看作是减小系统的不确定性",
        assumption=(
            "“不确定性”指交叉熵本身；若指模型预测的熵 $H(\\hat y)$ 则不成立。物理系统“趋向最大熵”"
            "与“减小不确定性”方向相反，这只是类比，不是数学命题。"
        ),
    ),
    Claim(
        id="ch3.gibbs-variational",
        chapter=_CH,
        section="ch3-physics",
        statement=(
            "类比中确切成立的部分：$\\log\\sum_k e^{z_k}=\\max_{p\\in\\Delta}\\big(\\sum_k p_kz_k+H(p)\\big)$，"
            "最大值恰在 $p=\\operatorname{softmax}(z)$ 处取到（吉布斯变分原理）。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.minimiser-matches-distribution",
        chapter=_CH,
        section="ch3-physics",
        statement=(
            "固定 $y$，在概率单纯形上最小化 $H(y,\\hat y)$ 的唯一解是 $\\hat y=y$；用 logits 参数化时，"
            "数值最小化得到的 $\\operatorname{softmax}(z^\\star)$ 与 $y$ 一致。"
        ),
        verdict=Verdict.HOLDS,
        source="最小化交叉熵等价于寻找最优的概率分布匹配",
    ),
    # --- 概率理论基础 ---------------------------------------------------------------------------
    Claim(
        id="ch3.mle-equivalence",
        chapter=_CH,
        section="ch3-likelihood",
        statement=(
            "对硬标签，$\\sum_i H(y^{(i)},\\hat y^{(i)})=-\\log P(Y|X;\\theta)$，两者只差一个符号，"
            "最小化前者即最大化后者；对常数模型，平均交叉熵等于 $H(\\hat p_{\\text{emp}},q)$，最小点 "
            "$q=\\hat p_{\\text{emp}}$ 正是类别分布的最大似然估计。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="最小化交叉熵等价于最大化对数似然：$\\min H(y,\\hat{y}) \\Leftrightarrow \\max \\log P(Y|X)$",
        assumption=(
            "$y^{(i)}$ 是观测标签的 one-hot 编码（或 $y$ 是经验分布），且给定输入时各样本条件独立；"
            "软标签时交叉熵是从 $y$ 抽取标签的期望负对数似然。"
        ),
    ),
    Claim(
        id="ch3.ce-kl-decomposition",
        chapter=_CH,
        section="ch3-likelihood",
        statement="$H(y,\\hat y)=H(y)+D_{\\mathrm{KL}}(y\\|\\hat y)$（$y$ 为任意概率分布，约定 $0\\log0=0$）。",
        verdict=Verdict.HOLDS,
        source="$H(y,\\hat{y}) = H(y) + D_{KL}(y||\\hat{y})$",
    ),
    Claim(
        id="ch3.kl-measures-difference",
        chapter=_CH,
        section="ch3-likelihood",
        statement=(
            "$D_{\\mathrm{KL}}(y\\|\\hat y)\\ge0$，当且仅当 $\\hat y=y$ 时为 0，所以它度量差异；"
            "但它不对称。"
        ),
        verdict=Verdict.HOLDS,
        source="$D_{KL}$ 是KL散度，衡量两个分布的差异",
    ),
    Claim(
        id="ch3.entropy-constant",
        chapter=_CH,
        section="ch3-likelihood",
        statement=(
            "$y$ 固定且不依赖模型参数时，$H(y)$ 是常数，$\\nabla_z H(y,\\hat y)=\\nabla_z D_{\\mathrm{KL}}"
            "(y\\|\\hat y)$，最小化交叉熵等价于最小化 KL 散度；若 $y$ 随模型变化（如不截断梯度的自蒸馏"
            "目标 $y=\\operatorname{softmax}(z/2)$），两者的最小点完全不同。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="$H(y)$ 是真实分布的熵（常数）",
        assumption="$y$ 是固定的数据标签，不依赖模型参数。",
    ),
    # --- 优化性质 -------------------------------------------------------------------------------
    Claim(
        id="ch3.convex-in-probabilities",
        chapter=_CH,
        section="ch3-convexity",
        statement=(
            "$\\hat y\\mapsto H(y,\\hat y)$ 在概率单纯形上凸：Hessian 为 "
            "$\\mathrm{diag}(y_j/\\hat y_j^2)\\succeq0$。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.convex-in-logits",
        chapter=_CH,
        section="ch3-convexity",
        statement=(
            "$z\\mapsto H(y,\\operatorname{softmax}(z))$ 凸但不严格凸：Hessian $(\\sum_j y_j)"
            "(\\mathrm{diag}(p)-pp^\\top)\\succeq0$，沿 $\\mathbf 1$ 方向特征值为 0，损失沿该方向不变。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.nonconvex-in-weights",
        chapter=_CH,
        section="ch3-convexity",
        statement=(
            "交叉熵作为网络权重的函数一般不凸：两层网络交换两个隐藏单元得到同一个函数，两组权重的"
            "中点处损失高于两端损失的平均。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.hard-label-no-minimiser",
        chapter=_CH,
        section="ch3-uniqueness",
        statement=(
            "硬标签 $e_c$ 下交叉熵在 $z$ 上没有最小点：下确界 0 沿 $z=te_c$ 逼近，"
            "$\\log(1+(K-1)e^{-t})$ 随 $t$ 严格递减，梯度 $p-y$ 处处非零。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.soft-label-minimiser-line",
        chapter=_CH,
        section="ch3-uniqueness",
        statement=(
            "软标签且所有 $y_j>0$ 时，最小点是整条直线 $z=\\log y+c\\mathbf 1$，最小值 $H(y)$；"
            "$z$ 只在平移意义下唯一，$p=\\operatorname{softmax}(z)=y$ 唯一。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.soft-label-zero-not-attained",
        chapter=_CH,
        section="ch3-uniqueness",
        statement=(
            "软标签有某个 $y_j=0$ 时，下确界 $H(y)$ 取不到：任何有限 $z$ 都有 $p_j>0$，"
            "$D_{\\mathrm{KL}}(y\\|p)>0$。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.convex-unique-optimum",
        chapter=_CH,
        section="ch3-uniqueness",
        statement=(
            "“凸且有唯一全局最优解”不成立：对网络权重不凸；对 logits 凸但硬标签时没有最小点、"
            "软标签时最小点是一条直线。"
        ),
        verdict=Verdict.FAILS,
        source="交叉熵是凸函数；保证了优化问题的良好性质；存在唯一的全局最优解",
        counterexample=(
            "交换隐藏单元的两层网络：中点损失 $\\log2$ 高于两端；硬标签沿 $te_c$ 损失严格递减趋于 0 "
            "而不取到；$y=(0.7,0.2,0.1)$ 时 $\\log y+c\\mathbf 1$ 对每个 $c$ 都是最小点。"
        ),
    ),
    Claim(
        id="ch3.gradient-wrt-probabilities",
        chapter=_CH,
        section="ch3-gradients",
        statement=(
            "把 $\\hat y$ 当作不受约束的自由变量时 $\\partial H/\\partial\\hat y_j=-y_j/\\hat y_j$"
            "（与有限差分一致）。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="梯度形式简洁：$\\frac{\\partial H}{\\partial \\hat{y}_i} = -\\frac{y_i}{\\hat{y}_i}$",
        assumption=(
            "$\\hat y$ 的各分量被当作独立变量求偏导（忽略 $\\sum_j\\hat y_j=1$）；训练中 $\\hat y$ "
            "由 logits 决定，起作用的是 $\\partial H/\\partial z=p-y$。"
        ),
    ),
    Claim(
        id="ch3.gradient-reflects-error",
        chapter=_CH,
        section="ch3-gradients",
        statement=(
            "对 logits 的梯度 $p-y$ 给出每个类别误差的方向和大小；对 $\\hat y$ 的偏导 $-y_j/\\hat y_j$ "
            "在 $y_j=0$ 的类别上恒为 0，错放在这些类别上的概率得不到直接信号。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="（梯度）反映了预测误差的方向和大小",
        assumption="指对 logits 的梯度 $p-y$，而不是对 $\\hat y$ 的偏导 $-y/\\hat y$。",
    ),
    Claim(
        id="ch3.logit-gradient",
        chapter=_CH,
        section="ch3-gradients",
        statement=(
            "$\\partial H(y,\\operatorname{softmax}(z))/\\partial z=(\\sum_j y_j)\\,p-y$，当 $\\sum_jy_j=1$ 时为 "
            "$p-y$（SymPy、有限差分与 `cross_entropy_grad` 三者一致）。"
        ),
        verdict=Verdict.BOOK,
    ),
    # --- 为什么使用交叉熵 -----------------------------------------------------------------------
    Claim(
        id="ch3.smooth-cheap-gradient",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "交叉熵对 logits 无穷次可导，梯度 $p-y$ 只需一次 softmax，代价 $O(K)$，"
            "与有限差分一致。"
        ),
        verdict=Verdict.HOLDS,
        source="可导性好，便于优化；梯度计算简单高效",
    ),
    Claim(
        id="ch3.good-convexity",
        chapter=_CH,
        section="ch3-why",
        statement="交叉熵对 logits（以及对 $\\hat y$）是凸的；对网络权重一般不凸。",
        verdict=Verdict.HOLDS_UNDER,
        source="具有良好的凸性质",
        assumption="作为 logits $z$（或概率 $\\hat y$）的函数；对深度网络的权重不成立。",
    ),
    Claim(
        id="ch3.stronger-penalty",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "与概率上的平方误差相比，交叉熵对错误预测罚得更重：两类时 $-\\log p_c>2(1-p_c)^2$ "
            "对所有 $p_c\\in(0,1)$ 成立，且当 $p_c\\to0$ 时比值无界。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="对错误预测的惩罚更强",
        assumption="比较对象是概率上的平方误差（Brier 分数）；交叉熵无上界，平方误差不超过 2。",
    ),
    Claim(
        id="ch3.avoids-vanishing-gradients",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "交叉熵只消除了输出层的饱和：置信错误时 $|\\partial\\ell/\\partial z|\\approx1$；"
            "但误差向深层网络反传时仍乘以各层导数，20 层 sigmoid 链底部的梯度照样消失。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="避免梯度消失问题",
        assumption="仅指输出层 softmax/sigmoid 饱和造成的梯度消失；深层网络隐藏层的梯度消失不受影响。",
    ),
    Claim(
        id="ch3.probability-interpretation",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "对数评分是严格恰当评分规则：标签服从 $p$ 时期望损失 $H(p,q)$ 在且仅在 $q=p$ 处最小，"
            "所以最小化交叉熵鼓励输出真实的条件概率。"
        ),
        verdict=Verdict.HOLDS,
        source="自然地表达概率预测；适合不确定性建模",
    ),
    Claim(
        id="ch3.multilabel",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "softmax 交叉熵建模互斥的类别，概率之和为 1，两个标签不能同时接近 1；多标签学习需要逐类 "
            "sigmoid 加二元交叉熵（`binary_cross_entropy_with_logits`）。"
        ),
        verdict=Verdict.FAILS,
        source="支持多标签学习",
        counterexample=(
            "目标同时含类别 0 和 1：softmax 交叉熵把 $p$ 推向 $(0.5,0.5,0)$，任何 $z$ 都有 "
            "$\\min(p_1,p_2)\\le0.5$；逐类 sigmoid 可把两者都推到 $>0.9999$。"
        ),
    ),
    Claim(
        id="ch3.general-classification",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "交叉熵适用于类别互斥的分类问题：$K=2$ 时它等于以 logit 差 $z_2-z_1$ 为输入的二元交叉熵。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="适用于各种分类问题；可扩展到复杂任务",
        assumption="单标签（类别互斥）的分类；多标签问题见上一条。",
    ),
    Claim(
        id="ch3.soft-and-hard-labels",
        chapter=_CH,
        section="ch3-why",
        statement=(
            "同一个定义同时接受硬标签（类别下标）与软标签（概率向量）；下标形式与 one-hot 概率形式"
            "给出相同的损失与梯度。"
        ),
        verdict=Verdict.HOLDS,
        source="支持软标签和硬标签",
    ),
    # --- 与均方误差的比较 -----------------------------------------------------------------------
    Claim(
        id="ch3.table-gradient",
        chapter=_CH,
        section="ch3-vs-mse",
        statement=(
            "置信地预测错误时，交叉熵对 logit 的梯度 $p-y\\to-1$，而 sigmoid/softmax 输出上的平方误差"
            "梯度含因子 $p(1-p)$（或 $\\mathrm{diag}(p)-pp^\\top$），趋于 0。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="梯度性质：交叉熵 防止梯度消失；均方误差 可能梯度消失",
        assumption=(
            "指输出层的饱和区（置信地预测错误）；平方误差作用在 sigmoid/softmax 的输出上。"
        ),
    ),
    Claim(
        id="ch3.table-penalty-shape",
        chapter=_CH,
        section="ch3-vs-mse",
        statement=(
            "平方误差对误差是二次的（误差加倍、惩罚变为 4 倍），且在概率向量上不超过 2；交叉熵 "
            "$-\\log p_c$ 无上界。线性的是平方误差对 $p$ 的梯度 $2(p-y)$。"
        ),
        verdict=Verdict.FAILS,
        source="误差惩罚：交叉熵 非线性惩罚；均方误差 线性惩罚",
        counterexample=(
            "两类、真实类别概率 $p_c$：误差 $e=1-p_c$ 从 0.1 增到 0.2，平方误差 $2e^2$ 从 0.02 "
            "变成 0.08（4 倍）；最大值为 2。"
        ),
    ),
    Claim(
        id="ch3.table-probability",
        chapter=_CH,
        section="ch3-vs-mse",
        statement=(
            "交叉熵是类别分布的负对数似然；概率上的平方误差（Brier 分数）不是似然，但它同样是严格"
            "恰当评分规则：$\\mathbb E_{c\\sim p}\\|q-e_c\\|^2=\\|q-p\\|^2+1-\\|p\\|^2$ 在 $q=p$ 处"
            "唯一最小；回归中的平方误差是高斯似然的负对数（差一个常数）。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="概率解释：交叉熵 自然支持；均方误差 不直接支持",
        assumption=(
            "“概率解释”指损失是类别标签的负对数似然；平方误差在概率上仍有恰当评分规则的解释，"
            "在回归中有高斯似然的解释。"
        ),
    ),
    Claim(
        id="ch3.table-training-speed",
        chapter=_CH,
        section="ch3-vs-mse",
        statement=(
            "在本章的种子化 softmax 回归问题上，从置信错误的初始化出发，交叉熵训练远快于平方误差"
            "（平方误差在饱和区几乎不动）；从零初始化出发，两者差距小得多。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="训练速度：交叉熵 较快；均方误差 较慢；学习速度快",
        assumption=(
            "测量于本章的问题（softmax 回归、全批量梯度下降、相同学习率）；差距主要来自输出饱和，"
            "零初始化时不显著、且谁快取决于学习率，不是普遍定律。"
        ),
    ),
    # --- 实践应用建议 ---------------------------------------------------------------------------
    Claim(
        id="ch3.clip-bias",
        chapter=_CH,
        section="ch3-stability",
        statement=(
            "原文的 `safe_cross_entropy` 避免了 $\\log 0$，但当真实类别的概率下溢为 0 时损失被截在 "
            "$-\\log\\varepsilon\\approx34.5$，与由 logits 精确算出的损失相差悬殊；"
            "从 logits 用 log-softmax 计算没有这种偏差。"
        ),
        verdict=Verdict.HOLDS_UNDER,
        source="数值稳定性处理：`y_pred = np.clip(y_pred, epsilon, 1 - epsilon)`",
        assumption="预测概率没有下溢到 $\\varepsilon$ 以下；否则截断带来偏差（且截断区内梯度为 0）。",
    ),
    Claim(
        id="ch3.zero-times-log-zero",
        chapter=_CH,
        section="ch3-stability",
        statement=(
            "包的概率标签交叉熵对 $y_j=0$ 的类别贡献恰为 0，即使该类 logit 为 $-\\infty$；朴素的 "
            "$y\\log p$ 在那里得到 $0\\cdot(-\\infty)=\\mathrm{NaN}$。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.class-weight-optimum",
        chapter=_CH,
        section="ch3-imbalance",
        statement=(
            "类别权重 $w$ 下，常数预测器的加权交叉熵最小点是按权重重新加权的类别频率 "
            "$q_c=w_cn_c/\\sum_kw_kn_k$，而不再是类别频率本身。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.label-smoothing-target",
        chapter=_CH,
        section="ch3-label-smoothing",
        statement=(
            "`label_smoothing=ε` 等价于把目标换成 $(1-\\varepsilon)y+\\varepsilon/K$（每个类别都加 "
            "$\\varepsilon/K$，真实类别也不例外）。"
        ),
        verdict=Verdict.BOOK,
    ),
    Claim(
        id="ch3.label-smoothing-optimum",
        chapter=_CH,
        section="ch3-label-smoothing",
        statement=(
            "标签平滑后最小损失是平滑目标的熵 $H(\\tilde y)>0$，不是 0；最优 logit 差有限："
            "$\\log\\frac{1-\\varepsilon+\\varepsilon/K}{\\varepsilon/K}$。"
        ),
        verdict=Verdict.BOOK,
    ),
]
