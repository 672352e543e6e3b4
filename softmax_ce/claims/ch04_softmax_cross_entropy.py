"""Claims of chapter 4, Softmax 与交叉熵 (``chapters/04_softmax_cross_entropy.ipynb``).

Mirrors the fourth source document, 《Softmax和交叉熵损失详解》, section by section. Every claim
is checked by a ``check("ch4.…", …)`` call in the notebook cell that computes its evidence.
"""

from __future__ import annotations

from . import Claim, Verdict

_CH = "04_softmax_cross_entropy"
_NORMALISED = r"每个样本的标签之和为 1：$\sum_j y_j = 1$（one-hot 或任意概率分布；$y$ 不必是 one-hot）"

CLAIMS = [
    # --- 1. 数学推导 --------------------------------------------------------------------------
    Claim(
        "ch4.substitution", _CH, "ch4-derivation",
        r"把 softmax 代入交叉熵得到 $l = -\sum_j y_j \log(\exp(o_j)/\sum_k \exp(o_k))$，"
        r"与包的 `cross_entropy`（概率标签）逐行一致。",
        Verdict.HOLDS,
        source="将softmax函数代入损失函数定义，得到交叉熵损失的完整形式：l(y,ŷ) = -Σ_j y_j log(exp(o_j)/Σ_k exp(o_k))",
    ),
    Claim(
        "ch4.simplification", _CH, "ch4-derivation",
        r"$l = \log\sum_k \exp(o_k) - \sum_j y_j o_j$。",
        Verdict.HOLDS_UNDER,
        source="通过数学推导，可以将上式化简为：l(y,ŷ) = log Σ_k exp(o_k) − Σ_j y_j o_j",
        assumption=_NORMALISED + "；对 $y = (1, 1, 0, 0)$ 化简形式比真实损失少 $\\operatorname{lse}(o)$",
    ),
    Claim(
        "ch4.simplification-general", _CH, "ch4-derivation",
        r"对任意 $y$：$l = (\sum_j y_j)\operatorname{lse}(o) - \sum_j y_j o_j$；与原文化简形式之差为 "
        r"$(\sum_j y_j - 1)\operatorname{lse}(o)$。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.lse-bounds", _CH, "ch4-derivation",
        r"$\max_k o_k \le \operatorname{lse}(o) \le \max_k o_k + \log K$。",
        Verdict.BOOK,
    ),
    # --- 2. 梯度 ---------------------------------------------------------------------------------
    Claim(
        "ch4.gradient", _CH, "ch4-gradient",
        r"$\partial l/\partial o_j = \operatorname{softmax}(o)_j - y_j$（本书的核心结果，定理 thm-ch4-ce-gradient）。",
        Verdict.HOLDS_UNDER,
        source="对任意logit o_j 的偏导数为 ∂l/∂o_j = exp(o_j)/Σ_k exp(o_k) − y_j = softmax(o)_j − y_j",
        assumption=_NORMALISED,
    ),
    Claim(
        "ch4.gradient-general", _CH, "ch4-gradient",
        r"对任意 $y$：$\partial l/\partial o_j = (\sum_k y_k)\operatorname{softmax}(o)_j - y_j$（有限差分检验，$y=(1,1,0,0)$）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.gradient-needs-normalisation", _CH, "ch4-gradient",
        r"$\sum_j y_j \ne 1$ 时 $\operatorname{softmax}(o) - y$ 不是梯度：对 $y=(1,1,0,0)$ 它与有限差分相差超过 0.1。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.gradient-three-ways", _CH, "ch4-verify-three-ways",
        "SymPy（lambdify_rows）、有限差分与包的 `cross_entropy_grad` 在带种子的硬/软标签输入上给出相同的梯度"
        "（SymPy 与包相差 < 1e-13，有限差分相差 < 1e-8）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.gradient-sums-to-zero", _CH, "ch4-gradient-properties",
        r"梯度各分量之和为 0：$\sum_j \partial l/\partial o_j = 0$（平移不变性）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.gradient-bounded", _CH, "ch4-gradient-properties",
        r"$y$ 为概率分布时梯度每个分量都在 $(-1, 1)$ 内。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.gradient-sign", _CH, "ch4-gradient-properties",
        r"正梯度 ⇔ 预测概率 $p_j$ 高于标签 $y_j$，负梯度 ⇔ 低于。",
        Verdict.HOLDS_UNDER,
        source="直观解释：正梯度表示预测概率过高；负梯度表示预测概率过低",
        assumption=_NORMALISED + r"；$y=(1,1,0,0)$、$o=(2,0,0,0)$ 时 $p_1 \approx 0.71 < y_1$ 而 $\partial l/\partial o_1 > 0$",
    ),
    Claim(
        "ch4.residual-analogy", _CH, "ch4-gradient-properties",
        r"梯度 $p - y$ 与回归的残差同形。",
        Verdict.HOLDS_UNDER,
        source="统一性：与回归问题中的残差形式相似",
        assumption=r"比较对象是 $\tfrac12(\hat y - y)^2$ 对恒等输出 $\hat y$ 的梯度 $\hat y - y$（指数族 + 典范连接）；"
        r"softmax 概率上的平方误差对 logits 的梯度是 $2J(p)(p - y)$，不是残差",
    ),
    Claim(
        "ch4.ce-gradient-no-saturation", _CH, "ch4-gradient-properties",
        r"硬标签、自信地预测错（$o=(m,0,0)$，$m=-10$）时交叉熵对目标 logit 的导数接近 $-1$，"
        r"而概率上平方误差的导数接近 0（饱和）。",
        Verdict.BOOK,
    ),
    # --- 3. 标签分布 -----------------------------------------------------------------------------
    Claim(
        "ch4.binary-example", _CH, "ch4-label-distributions",
        r"one-hot 标签 $(0,1)$、预测 $(0.3,0.7)$ 的损失为 $-\ln 0.7 \approx 0.3567$ nat；原文的“二元情况”指硬标签，不限于两类。",
        Verdict.HOLDS,
        source="二元情况：标签为one-hot向量，如 (0,1)；预测为概率分布，如 (0.3,0.7)",
    ),
    Claim(
        "ch4.two-class-sigmoid", _CH, "ch4-label-distributions",
        r"$K=2$ 时 softmax 交叉熵等于以 $o_2 - o_1$ 为输入的 sigmoid 二元交叉熵。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.soft-labels-expected-nll", _CH, "ch4-label-distributions",
        r"标签可以是任意概率分布，形式不变，$l = \mathbb{E}_{J\sim y}[-\log \hat y_J]$ 是标签分布下的期望损失。",
        Verdict.HOLDS,
        source="标签可以是任意概率分布，如 (0.1,0.2,0.7)；损失函数形式保持不变；解释为标签分布下的期望损失",
    ),
    Claim(
        "ch4.min-hard", _CH, "ch4-minimum",
        "硬标签：对一切有限 logits 损失 > 0，下确界 0 取不到；沿 $o = t e_c$ 单调下降趋于 0。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.min-soft-positive", _CH, "ch4-minimum",
        r"所有 $y_j > 0$ 的软标签：最小值 $H(y)$ 在 $o = \log y + c\mathbf{1}$ 取到（梯度为 0，随机 logits 均不低于它）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.min-soft-zeros", _CH, "ch4-minimum",
        r"含零分量的软标签（非 one-hot）：下确界 $H(y)$ 取不到，沿路径单调趋近。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.min-path-figure", _CH, "ch4-minimum",
        r"全正软标签沿 $o = s \log y$ 的损失在 $s = 1$ 处最小，最小值为 $H(y)$。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.hessian", _CH, "ch4-hessian",
        r"$\nabla_o^2 l = (\sum_k y_k)(\operatorname{diag}(p) - pp^\top)$（SymPy、有限差分、`softmax_jacobian` 一致，含 $\sum y = 2$ 的情形）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.convex-not-strict", _CH, "ch4-hessian",
        r"$y$ 为概率分布时 Hessian 半正定（损失是 $o$ 的凸函数），零特征值恰好一个、特征向量为 $\mathbf 1$：不严格凸。",
        Verdict.BOOK,
    ),
    # --- 4. 信息论 -------------------------------------------------------------------------------
    Claim(
        "ch4.ce-decomposition", _CH, "ch4-information",
        r"$H(y, \hat y) = H(y) + D_{\mathrm{KL}}(y\,\|\,\hat y)$。",
        Verdict.HOLDS,
        source="KL散度关系：交叉熵 = 熵 + KL散度",
    ),
    Claim(
        "ch4.bits", _CH, "ch4-information",
        "交叉熵是用预测分布编码真实分布所需的平均比特数。",
        Verdict.HOLDS_UNDER,
        source="交叉熵衡量：使用预测分布 ŷ 编码真实分布 y 所需的平均比特数",
        assumption="对数以 2 为底（自然对数时单位是 nat），且指理想码长 −log₂ ŷ_j；"
        "真实前缀码（Shannon 码长）的平均长度在 [H₂(y,ŷ), H₂(y,ŷ)+1) 内，二进分布时恰好相等",
    ),
    Claim(
        "ch4.min-at-match", _CH, "ch4-information",
        r"当预测分布与真实分布一致时交叉熵达到最小值 $H(y)$。",
        Verdict.HOLDS,
        source="最优编码：当预测分布完美匹配真实分布时，达到最小值",
    ),
    Claim(
        "ch4.farther-costlier", _CH, "ch4-information",
        "预测偏离真实分布越远，交叉熵越大。",
        Verdict.HOLDS_UNDER,
        source="预测偏离真实分布越远，编码代价越高",
        assumption=r"“远”用 $D_{\mathrm{KL}}(y\,\|\,\hat y)$ 度量（此时是恒等式）；用欧氏距离不成立："
        r"$y=e_1$，$q_2=(0.55,0.225,0.225)$ 比 $q_1=(0.6,0.39,0.01)$ 更近，交叉熵却更大",
    ),
    Claim(
        "ch4.min-ce-min-kl", _CH, "ch4-information",
        "最小化交叉熵等价于最小化 KL 散度。",
        Verdict.HOLDS_UNDER,
        source="最小化交叉熵等价于最小化KL散度",
        assumption="标签分布 y 固定（不随参数变化）；y 变化时两者的排序可以相反",
    ),
    # --- 5. 实践 ---------------------------------------------------------------------------------
    Claim(
        "ch4.clip-prevents-log0", _CH, "ch4-practice",
        "ε 截断（ε = 1e-15）防止出现 log(0)。",
        Verdict.HOLDS_UNDER,
        source="def stable_cross_entropy(...): # 防止出现log(0)  y_pred = np.clip(y_pred, epsilon, 1 - epsilon)",
        assumption="输入为 float32/float64；float16 中 1e-15 舍入为 0，截断失效，log(0) 与 nan 重新出现",
    ),
    Claim(
        "ch4.clip-bias", _CH, "ch4-practice",
        r"ε 截断使完美预测的损失为 $\approx 10^{-15}$ 而非 0，把真实值 1000 的损失封顶在 $-\log 10^{-15} \approx 34.54$，"
        "并使封顶区域内损失对 logits 的梯度恰好为 0。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.max-shift-prevents-overflow", _CH, "ch4-practice",
        "减去最大值防止 exp 上溢：logits (1000, 999) 时不减最大值的 softmax 为 nan，原文的 logits 写法有限。",
        Verdict.HOLDS,
        source="使用logits计算：# 减去最大值提高数值稳定性",
    ),
    Claim(
        "ch4.underflow-thresholds", _CH, "ch4-practice",
        r"原文 logits 写法在 logit 差 $d > -\log(\text{最小次正规数}/2)$ 时概率下溢为 0："
        "float16 ≈ 17.33，float32 ≈ 103.97，float64 ≈ 745.13（公式与二分实测一致）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.logits-recipe-fails", _CH, "ch4-practice",
        "原文的 `cross_entropy_with_logits`（减最大值后 softmax 再取 log）是数值稳定的写法。",
        Verdict.FAILS,
        source="使用logits计算：def cross_entropy_with_logits(y_true, logits): shifted_logits = logits - np.max(...); "
        "probs = exp_logits / np.sum(...); return -np.sum(y_true * np.log(probs))",
        counterexample="logits (0, −1000)：标签 (1, 0) 时返回 nan（0·log 0，真实值 ≈ e^-1000），"
        "标签 (0, 1) 时返回 inf（真实值 1000）",
    ),
    Claim(
        "ch4.stable-form", _CH, "ch4-practice",
        "包的 `cross_entropy`（下标标签：lse(o) − o_c）在所有测试情形中与 mpmath 50 位参考的相对误差"
        "不超过所用浮点类型 eps 的 4 倍，float64 情形 < 1e-13。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.naive-precision-loss", _CH, "ch4-practice",
        r"$o=(0,-d)$、标签正确时，原文写法在 $d > -\log(\epsilon/2) \approx 36.7$ 后返回 0（相对误差 1），"
        r"$d > 745.13$ 后返回 nan；包的相对误差始终 < 4 eps。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.recipes-sum-over-batch", _CH, "ch4-practice",
        "原文的损失写法对整个批量求和（等于包的 reduction='sum'，是 reduction='mean' 的 N 倍）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.gradient-recipe", _CH, "ch4-practice",
        "原文的 `cross_entropy_gradient`（softmax(logits) − y_true）给出损失的梯度。",
        Verdict.HOLDS_UNDER,
        source="梯度计算：def cross_entropy_gradient(y_true, logits): probs = softmax(logits); return probs - y_true",
        assumption=_NORMALISED + "；它是对批量求和的损失的梯度（平均损失需除以 N）",
    ),
    # --- 6. 应用 ---------------------------------------------------------------------------------
    Claim(
        "ch4.training-gradient", _CH, "ch4-applications",
        "`loss_and_gradients` 经链式法则给出的 ∂l/∂W、∂l/∂b 与有限差分一致（< 1e-8）。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.training-monotone", _CH, "ch4-applications",
        r"步长 $1/L$（$L = \tfrac12\lambda_{\max}(\tilde X^\top \tilde X/N)$）时梯度下降的平均交叉熵单调下降，"
        r"每步下降量不少于 $\tfrac{\eta}{2}\|\nabla\|^2$。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.training-learns", _CH, "ch4-applications",
        "线性 softmax 回归在留出集上的准确率 ≥ 0.8，训练结束时梯度范数不到初始的 1%。",
        Verdict.BOOK,
    ),
    # --- 7. 理论延伸 -----------------------------------------------------------------------------
    Claim(
        "ch4.ce-equals-nll", _CH, "ch4-theory",
        "交叉熵损失等价于负对数似然。",
        Verdict.HOLDS_UNDER,
        source="最大似然估计：交叉熵损失等价于负对数似然",
        assumption="硬标签（one-hot）；软标签时是标签分布下的期望负对数似然",
    ),
    Claim(
        "ch4.cover-thomas-year", _CH, "ch4-further-reading",
        "原文引用“Cover和Thomas (1999)”。",
        Verdict.FAILS,
        source="建议进一步阅读：Cover和Thomas (1999) 的信息论基础",
        counterexample="Elements of Information Theory 只有 1991 年（第 1 版）与 2006 年（第 2 版，Wiley）两版；"
        "本书引用第 2 版",
    ),
    # --- 练习 ------------------------------------------------------------------------------------
    Claim(
        "ch4.ex-gradient", _CH, "ch4-exercises",
        r"$y=(0.2,0.3,0.5)$、$o=(1,2,3)$ 时 $\nabla_o l \approx (-0.1100,-0.0553,0.1652)$，各分量之和为 0。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.ex-label-smoothing", _CH, "ch4-exercises",
        r"标签平滑 $\varepsilon > 0$ 时最小损失 $H(\tilde y)$ 在 $o = \log \tilde y$ 取到，"
        r"logit 差有限：$K=10$、$\varepsilon=0.1$ 时为 $\log 91$，最小损失约 0.5003 nat。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.ex-negative-labels", _CH, "ch4-exercises",
        r"$\sum_j y_j = 1$ 但有负分量时，梯度公式 $p - y$ 仍成立，但损失无下界。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.ex-float16-nan", _CH, "ch4-exercises",
        r"float16 中原文 logits 写法在预测正确、logit 差超过 $25\ln 2 \approx 17.33$ 时返回 nan。",
        Verdict.BOOK,
    ),
    Claim(
        "ch4.ex-lse-equality", _CH, "ch4-exercises",
        r"$\operatorname{lse}(c\mathbf 1) = c + \log K$（上界取等号）；硬标签下 $l \ge \max_k o_k - o_c$。",
        Verdict.BOOK,
    ),
]
