<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DatabaseFile</name>
    <message>
        <source>No database file was given.</source>
        <translation>未指定数据库文件。</translation>
    </message>
    <message>
        <source>The database file &apos;%1&apos; does not exist.</source>
        <translation>数据库文件“%1”不存在。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a file.</source>
        <translation>“%1”不是文件。</translation>
    </message>
    <message>
        <source>The database file &apos;%1&apos; cannot be read: %2</source>
        <translation>无法读取数据库文件“%1”：%2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an SQLite database (it does not start with the SQLite 3 header).</source>
        <translation>“%1”不是 SQLite 数据库（文件开头没有 SQLite 3 文件头）。</translation>
    </message>
    <message>
        <source>The database &apos;%1&apos; was written by an earlier version and could not be updated to this one: %2</source>
        <translation>数据库“%1”由较早的版本写入，无法更新到当前版本：%2</translation>
    </message>
</context>
<context>
    <name>ExploreSession</name>
    <message>
        <source>not a checkpoint directory (it needs config.json and model.safetensors)</source>
        <translation>不是检查点目录（需要 config.json 和 model.safetensors）</translation>
    </message>
    <message>
        <source>no model is loaded</source>
        <translation>尚未加载模型</translation>
    </message>
    <message>
        <source>the text is empty</source>
        <translation>文本为空</translation>
    </message>
    <message>
        <source>there is no text to continue</source>
        <translation>没有可续写的文本</translation>
    </message>
    <message>
        <source>the context is full (%1 tokens)</source>
        <translation>上下文已满（%1 个词元）</translation>
    </message>
    <message>
        <source>the task has no held-out problems</source>
        <translation>该任务没有留出题目</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>Cannot allocate a %1 x %2 image for %3</source>
        <translation>无法为 %3 分配 %1 x %2 的图像</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported by TinySeek Workbench</source>
        <translation>由 TinySeek 工作台导出</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
<context>
    <name>FigureExport</name>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>this chart</source>
        <translation>此图表</translation>
    </message>
    <message>
        <source>Export %1…</source>
        <translation>导出 %1…</translation>
    </message>
    <message>
        <source>Export All Charts of This Page…</source>
        <translation>导出本页全部图表…</translation>
    </message>
    <message>
        <source>Unknown file type “.%1”: choose .png, .svg, .pdf or .csv</source>
        <translation>未知的文件类型“.%1”：请选择 .png、.svg、.pdf 或 .csv</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>This page has no charts yet.</source>
        <translation>本页还没有图表。</translation>
    </message>
    <message>
        <source>Export Charts to Folder</source>
        <translation>将图表导出到文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) written to %1 (PNG, SVG, PDF and CSV of each chart).</source>
        <translation>
            <numerusform>已向 %1 写入 %n 个文件（每个图表的 PNG、SVG、PDF 和 CSV）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) written; these failed:</source>
        <translation>
            <numerusform>已写入 %n 个文件；以下失败：</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Export All Charts of This Run…</source>
        <translation>导出本次运行的全部图表(&amp;E)…</translation>
    </message>
    <message>
        <source>Write every chart of the current run (Training, Routing, Inference, Explore, Rollouts, Evaluation, Precision) and the Reward Model page&apos;s as PNG, SVG, PDF and CSV into a folder</source>
        <translation>将当前运行的所有图表（训练、路由、推理、探索、采样、评估、精度）以及奖励模型页的图表以 PNG、SVG、PDF 和 CSV 写入一个文件夹</translation>
    </message>
</context>
<context>
    <name>JudgeStagesText</name>
    <message>
        <source>%1: not a reward-model lab manifest</source>
        <translation>%1：不是奖励模型实验的清单文件</translation>
    </message>
    <message>
        <source>%1 (undone)</source>
        <translation>%1（已撤销）</translation>
    </message>
    <message>
        <source>no stage results (%1)</source>
        <translation>没有阶段结果（%1）</translation>
    </message>
    <message>
        <source>lab seed %1: %2 → %3 → %4</source>
        <translation>实验种子 %1：%2 → %3 → %4</translation>
    </message>
    <message>
        <source>%1 + %2</source>
        <translation>%1 + %2</translation>
    </message>
    <message>
        <source>Judge training, greedy validation on train-split items after the cold start → RFT → GRPO (a stage that lowered it is undone): %1.</source>
        <translation>评判模型训练，冷启动 → RFT → GRPO 之后在训练划分题目上的贪心验证准确率（使其下降的阶段会被撤销）：%1。</translation>
    </message>
    <message>
        <source> RFT trained on the judge&apos;s own right judgments + worked traces given as hints: %1.</source>
        <translation> RFT 的训练数据为评判模型自己的正确评判 + 作为提示给出的完整解题过程：%1。</translation>
    </message>
</context>
<context>
    <name>MetricCatalog</name>
    <message>
        <source>reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <source>fraction</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>KL</source>
        <translation>KL</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>nats</source>
        <translation>奈特</translation>
    </message>
    <message>
        <source>std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>L2 norm</source>
        <translation>L2 范数</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>MaxVio</source>
        <translation>MaxVio</translation>
    </message>
    <message>
        <source>0 / 1</source>
        <translation>0 / 1</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Reward (total)</source>
        <translation>奖励（总计）</translation>
    </message>
    <message>
        <source>Mean total reward of the sampled completions: accuracy plus the weighted format bonus</source>
        <translation>采样补全的平均总奖励：准确率加上加权的格式奖励</translation>
    </message>
    <message>
        <source>Accuracy reward</source>
        <translation>准确率奖励</translation>
    </message>
    <message>
        <source>Share of sampled completions whose answer verifies exactly</source>
        <translation>答案经精确验证正确的采样补全所占比例</translation>
    </message>
    <message>
        <source>Format reward</source>
        <translation>格式奖励</translation>
    </message>
    <message>
        <source>Share of sampled completions written as &lt;think&gt;…&lt;/think&gt;&lt;answer&gt;…&lt;/answer&gt;</source>
        <translation>按 &lt;think&gt;…&lt;/think&gt;&lt;answer&gt;…&lt;/answer&gt; 格式书写的采样补全所占比例</translation>
    </message>
    <message>
        <source>Held-out accuracy (greedy)</source>
        <translation>留出集准确率（贪心）</translation>
    </message>
    <message>
        <source>Exact-answer accuracy on the fixed held-out problems, greedy decoding</source>
        <translation>固定留出题目上的精确答案准确率，贪心解码</translation>
    </message>
    <message>
        <source>Held-out accuracy (sampled)</source>
        <translation>留出集准确率（采样）</translation>
    </message>
    <message>
        <source>Accuracy on the held-out problems when sampling at the rollout temperature</source>
        <translation>以 rollout 温度采样时在留出题目上的准确率</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Training loss: next-token cross-entropy in SFT, the clipped GRPO objective in GRPO</source>
        <translation>训练损失：SFT 中为下一词元交叉熵，GRPO 中为裁剪后的 GRPO 目标</translation>
    </message>
    <message>
        <source>KL to the reference</source>
        <translation>相对参考模型的 KL</translation>
    </message>
    <message>
        <source>Mean per-token KL divergence from the frozen reference model (k3 estimator)</source>
        <translation>相对冻结参考模型的平均逐词元 KL 散度（k3 估计量）</translation>
    </message>
    <message>
        <source>Completion length</source>
        <translation>补全长度</translation>
    </message>
    <message>
        <source>Mean length of the sampled completions in tokens</source>
        <translation>采样补全的平均长度（词元数）</translation>
    </message>
    <message>
        <source>Entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <source>Mean entropy of the policy&apos;s next-token distribution over completion tokens</source>
        <translation>策略在补全词元上的下一词元分布的平均熵</translation>
    </message>
    <message>
        <source>Clip ratio</source>
        <translation>裁剪比例</translation>
    </message>
    <message>
        <source>Share of tokens whose probability ratio was clipped to [1 − ε, 1 + ε]</source>
        <translation>概率比被裁剪到 [1 − ε, 1 + ε] 的词元所占比例</translation>
    </message>
    <message>
        <source>Reward std within groups</source>
        <translation>组内奖励标准差</translation>
    </message>
    <message>
        <source>Standard deviation of the rewards within a group of G completions</source>
        <translation>一组 G 个补全内奖励的标准差</translation>
    </message>
    <message>
        <source>Groups without reward signal</source>
        <translation>无奖励信号的组</translation>
    </message>
    <message>
        <source>Share of groups whose completions all got the same reward (zero advantage)</source>
        <translation>组内所有补全奖励相同（优势为零）的组所占比例</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Global gradient norm before clipping</source>
        <translation>裁剪前的全局梯度范数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Learning rate of the step (warm-up and schedule)</source>
        <translation>该步的学习率（预热与调度）</translation>
    </message>
    <message>
        <source>Tokens per second</source>
        <translation>每秒词元数</translation>
    </message>
    <message>
        <source>Training throughput of the step</source>
        <translation>该步的训练吞吐量</translation>
    </message>
    <message>
        <source>MaxVio (expert load imbalance)</source>
        <translation>MaxVio（专家负载不均衡）</translation>
    </message>
    <message>
        <source>max over experts of load / mean load − 1: 0 means perfectly balanced routing</source>
        <translation>各专家的 负载 / 平均负载 − 1 的最大值：0 表示路由完全均衡</translation>
    </message>
    <message>
        <source>Held-out format</source>
        <translation>留出集格式</translation>
    </message>
    <message>
        <source>Share of well-formed answers on the held-out problems</source>
        <translation>留出题目上格式正确的答案所占比例</translation>
    </message>
    <message>
        <source>Held-out completion length</source>
        <translation>留出集补全长度</translation>
    </message>
    <message>
        <source>Mean completion length on the held-out problems</source>
        <translation>留出题目上的平均补全长度</translation>
    </message>
    <message>
        <source>Malformed completions</source>
        <translation>格式错误的补全</translation>
    </message>
    <message>
        <source>Share of completions from which no answer could be read</source>
        <translation>无法读出答案的补全所占比例</translation>
    </message>
    <message>
        <source>KL above bound</source>
        <translation>KL 超出上限</translation>
    </message>
    <message>
        <source>1 when the mean KL exceeded the configured bound</source>
        <translation>平均 KL 超过设定上限时为 1</translation>
    </message>
    <message>
        <source>MTP loss</source>
        <translation>MTP 损失</translation>
    </message>
    <message>
        <source>Loss of the multi-token-prediction module</source>
        <translation>多词元预测（MTP）模块的损失</translation>
    </message>
    <message>
        <source>Balance loss</source>
        <translation>均衡损失</translation>
    </message>
    <message>
        <source>Step time</source>
        <translation>步耗时</translation>
    </message>
    <message>
        <source>Wall-clock seconds of the step</source>
        <translation>该步的挂钟时间（秒）</translation>
    </message>
    <message>
        <source>MFU (model FLOPs utilisation)</source>
        <translation>MFU（模型算力利用率）</translation>
    </message>
    <message>
        <source>fraction of peak</source>
        <translation>占峰值比例</translation>
    </message>
    <message>
        <source>Model FLOPs per second (PaLM&apos;s count: 6 × active matmul weights + attention, per token) as a share of this machine&apos;s FMA peak, measured at start</source>
        <translation>每秒模型浮点运算量（按 PaLM 的计法：每个词元 6 × 激活的矩阵乘权重 + 注意力）占本机 FMA 峰值（启动时测得）的比例</translation>
    </message>
    <message>
        <source>Sequence-wise expert balance loss (aux_loss and aux_free_seq balancing)</source>
        <translation>序列级专家均衡损失（aux_loss 与 aux_free_seq 均衡模式）</translation>
    </message>
    <message>
        <source>Draft acceptance (rollouts)</source>
        <translation>草稿接受率（rollout）</translation>
    </message>
    <message>
        <source>Share of the MTP module&apos;s drafted rollout tokens the model kept (speculative rollouts)</source>
        <translation>MTP 模块起草的 rollout 词元中被主模型保留的比例（推测式 rollout）</translation>
    </message>
    <message>
        <source>Tokens per forward (rollouts)</source>
        <translation>每次前向的词元数（rollout）</translation>
    </message>
    <message>
        <source>Rollout tokens generated per forward of the main model: 1 without speculation, up to 2 with every draft kept</source>
        <translation>主模型每次前向生成的 rollout 词元数：不推测时为 1，草稿全部保留时最多为 2</translation>
    </message>
    <message>
        <source>Thinking share (rollouts)</source>
        <translation>思考占比（rollout）</translation>
    </message>
    <message>
        <source>Share of sampled completions that work the problem out in a non-empty &lt;think&gt; block rather than answer directly</source>
        <translation>在非空 &lt;think&gt; 块中推演题目、而非直接作答的采样补全所占比例</translation>
    </message>
    <message>
        <source>Held-out thinking share (greedy)</source>
        <translation>留出集思考占比（贪心）</translation>
    </message>
    <message>
        <source>Share of greedy held-out completions with a non-empty &lt;think&gt; block</source>
        <translation>带非空 &lt;think&gt; 块的贪心留出集补全所占比例</translation>
    </message>
    <message>
        <source>Held-out thinking share (sampled)</source>
        <translation>留出集思考占比（采样）</translation>
    </message>
    <message>
        <source>Share of held-out completions sampled at the rollout temperature with a non-empty &lt;think&gt; block</source>
        <translation>以 rollout 温度采样、带非空 &lt;think&gt; 块的留出集补全所占比例</translation>
    </message>
    <message>
        <source>Held-out completion length (sampled)</source>
        <translation>留出集补全长度（采样）</translation>
    </message>
    <message>
        <source>Mean length of the held-out completions sampled at the rollout temperature</source>
        <translation>以 rollout 温度采样的留出集补全的平均长度</translation>
    </message>
    <message>
        <source>Length of thinking completions</source>
        <translation>思考型补全的长度</translation>
    </message>
    <message>
        <source>Mean length of the sampled completions that think</source>
        <translation>进行思考的采样补全的平均长度</translation>
    </message>
    <message>
        <source>Length of direct completions</source>
        <translation>直接作答补全的长度</translation>
    </message>
    <message>
        <source>Mean length of the sampled completions that answer directly</source>
        <translation>直接作答的采样补全的平均长度</translation>
    </message>
    <message>
        <source>Accuracy when thinking (rollouts)</source>
        <translation>思考时的准确率（rollout）</translation>
    </message>
    <message>
        <source>Share of the thinking sampled completions whose answer verifies</source>
        <translation>进行思考的采样补全中答案通过验证的比例</translation>
    </message>
    <message>
        <source>Accuracy when answering directly (rollouts)</source>
        <translation>直接作答时的准确率（rollout）</translation>
    </message>
    <message>
        <source>Share of the direct sampled completions whose answer verifies</source>
        <translation>直接作答的采样补全中答案通过验证的比例</translation>
    </message>
    <message>
        <source>Held-out accuracy when thinking (greedy)</source>
        <translation>思考时的留出集准确率（贪心）</translation>
    </message>
    <message>
        <source>Accuracy of the greedy held-out completions that think</source>
        <translation>进行思考的贪心留出集补全的准确率</translation>
    </message>
    <message>
        <source>Held-out accuracy when answering directly (greedy)</source>
        <translation>直接作答时的留出集准确率（贪心）</translation>
    </message>
    <message>
        <source>Accuracy of the greedy held-out completions that answer directly</source>
        <translation>直接作答的贪心留出集补全的准确率</translation>
    </message>
    <message>
        <source>Held-out accuracy when thinking (sampled)</source>
        <translation>思考时的留出集准确率（采样）</translation>
    </message>
    <message>
        <source>Accuracy of the sampled held-out completions that think</source>
        <translation>进行思考的采样留出集补全的准确率</translation>
    </message>
    <message>
        <source>Held-out accuracy when answering directly (sampled)</source>
        <translation>直接作答时的留出集准确率（采样）</translation>
    </message>
    <message>
        <source>Accuracy of the sampled held-out completions that answer directly</source>
        <translation>直接作答的采样留出集补全的准确率</translation>
    </message>
    <message>
        <source>Held-out length when thinking (greedy)</source>
        <translation>思考时的留出集长度（贪心）</translation>
    </message>
    <message>
        <source>Mean length of the greedy held-out completions that think</source>
        <translation>进行思考的贪心留出集补全的平均长度</translation>
    </message>
    <message>
        <source>Held-out length when answering directly (greedy)</source>
        <translation>直接作答时的留出集长度（贪心）</translation>
    </message>
    <message>
        <source>Mean length of the greedy held-out completions that answer directly</source>
        <translation>直接作答的贪心留出集补全的平均长度</translation>
    </message>
    <message>
        <source>Held-out length when thinking (sampled)</source>
        <translation>思考时的留出集长度（采样）</translation>
    </message>
    <message>
        <source>Mean length of the sampled held-out completions that think</source>
        <translation>进行思考的采样留出集补全的平均长度</translation>
    </message>
    <message>
        <source>Held-out length when answering directly (sampled)</source>
        <translation>直接作答时的留出集长度（采样）</translation>
    </message>
    <message>
        <source>Mean length of the sampled held-out completions that answer directly</source>
        <translation>直接作答的采样留出集补全的平均长度</translation>
    </message>
    <message>
        <source>Rollout time</source>
        <translation>采样时间</translation>
    </message>
    <message>
        <source>Seconds of the GRPO step spent sampling the rollouts</source>
        <translation>GRPO 步骤中采样 rollout 所用的秒数</translation>
    </message>
    <message>
        <source>Reference pass time</source>
        <translation>参考模型前向时间</translation>
    </message>
    <message>
        <source>Seconds of the GRPO step spent on the frozen reference&apos;s log-probs (the KL term)</source>
        <translation>GRPO 步骤中计算冻结参考模型对数概率（KL 项）所用的秒数</translation>
    </message>
    <message>
        <source>Policy update time</source>
        <translation>策略更新时间</translation>
    </message>
    <message>
        <source>Seconds of the GRPO step spent on the policy update (forward, backward, AdamW)</source>
        <translation>GRPO 步骤中策略更新（前向、反向、AdamW）所用的秒数</translation>
    </message>
    <message>
        <source>Padding share</source>
        <translation>填充占比</translation>
    </message>
    <message>
        <source>Share of the GRPO training batch that is padding (every row as long as the longest), computed for nothing</source>
        <translation>GRPO 训练批次中填充部分的占比（每行与最长行等长），这部分计算是白费的</translation>
    </message>
    <message>
        <source>Evaluation time</source>
        <translation>评估时间</translation>
    </message>
    <message>
        <source>Seconds one held-out evaluation took (not counted as training time)</source>
        <translation>一次留出集评估所用的秒数（不计入训练时间）</translation>
    </message>
    <message>
        <source>Differentiated share</source>
        <translation>求导占比</translation>
    </message>
    <message>
        <source>Share of the GRPO step&apos;s completions the policy update runs backward through: 1, unless the KL weight is 0, when completions of zero advantage add nothing to the gradient and are only read</source>
        <translation>GRPO 步骤中策略更新做反向传播的补全所占比例：通常为 1；当 KL 权重为 0 时，优势为 0 的补全对梯度毫无贡献，只做前向读取</translation>
    </message>
</context>
<context>
    <name>MetricChartScene</name>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Wall time (h)</source>
        <translation>实际用时（小时）</translation>
    </message>
    <message>
        <source>Wall time (min)</source>
        <translation>实际用时（分钟）</translation>
    </message>
    <message>
        <source>Wall time (s)</source>
        <translation>实际用时（秒）</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>No positive values to show on a log scale</source>
        <translation>没有可在对数坐标上显示的正值</translation>
    </message>
    <message numerus="yes">
        <source>Log scale: %n value(s) ≤ 0 not shown</source>
        <translation>
            <numerusform>对数坐标：%n 个 ≤ 0 的值未显示</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RolloutTableFigure</name>
    <message>
        <source>No rollouts match the filter.</source>
        <translation>没有符合筛选条件的采样。</translation>
    </message>
    <message>
        <source>Rows 1–%1 of %2; the CSV export holds every row.</source>
        <translation>第 1–%1 行，共 %2 行；CSV 导出包含所有行。</translation>
    </message>
</context>
<context>
    <name>RoutingHistory</name>
    <message>
        <source>MTP block</source>
        <translation>MTP 模块</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <source>cannot write the screenshot &apos;%1&apos;: the folder &apos;%2&apos; does not exist</source>
        <translation>无法写入截图“%1”：文件夹“%2”不存在</translation>
    </message>
    <message>
        <source>cannot render the window for the screenshot &apos;%1&apos;</source>
        <translation>无法为截图“%1”渲染窗口</translation>
    </message>
    <message>
        <source>cannot write the screenshot &apos;%1&apos;: %2</source>
        <translation>无法写入截图“%1”：%2</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui</name>
    <message>
        <source>push</source>
        <translation>推力</translation>
    </message>
    <message>
        <source>no values: past the trained context</source>
        <translation>无数值：超出训练上下文</translation>
    </message>
    <message>
        <source>token %1 · p = %2 (log p %3) · entropy %4 nats · push %5</source>
        <translation>词元 %1 · p = %2（log p %3）· 熵 %4 nats · 推力 %5</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::AboutDialog</name>
    <message>
        <source> (built with %1)</source>
        <translation>（编译时使用 %1）</translation>
    </message>
    <message>
        <source>TinySeek Workbench: %1
Qt: %2
Eigen: %3
SQLite: %4
Build type: %5</source>
        <translation>TinySeek 工作台：%1
Qt：%2
Eigen：%3
SQLite：%4
构建类型：%5</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>About TinySeek Workbench</source>
        <translation>关于 TinySeek 工作台</translation>
    </message>
    <message>
        <source>&lt;h2&gt;TinySeek Workbench %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;TinySeek 工作台 %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Trains a tiny DeepSeek-style mixture-of-experts reasoning model on your CPU and shows what happens inside: expert routing, KV-cache memory, GRPO rewards and reward-model scaling.</source>
        <translation>在你的 CPU 上训练一个小型 DeepSeek 风格的混合专家推理模型，并展示其内部发生的一切：专家路由、KV 缓存内存、GRPO 奖励以及奖励模型的扩展效果。</translation>
    </message>
    <message>
        <source>License: GNU General Public License, version 3 or later (GPL-3.0-or-later). This program comes with ABSOLUTELY NO WARRANTY.</source>
        <translation>许可证：GNU 通用公共许可证第 3 版或更高版本（GPL-3.0-or-later）。本程序不提供任何担保。</translation>
    </message>
    <message>
        <source>Copy versions</source>
        <translation>复制版本信息</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::AcceptancePanel</name>
    <message>
        <source>Measure Again</source>
        <translation>重新测量</translation>
    </message>
    <message>
        <source>Measure the draft&apos;s acceptance on the held-out prompts, then at each stored checkpoint of the run</source>
        <translation>在留出提示上测量草稿的接受率，然后在该运行保存的每个检查点上测量</translation>
    </message>
    <message>
        <source>Completion:</source>
        <translation>补全：</translation>
    </message>
    <message>
        <source>Which held-out prompt&apos;s completion the tokens show</source>
        <translation>词元显示哪一个留出提示的补全</translation>
    </message>
    <message>
        <source>DeepSeek-V3 reported</source>
        <translation>DeepSeek-V3 报告值</translation>
    </message>
    <message>
        <source>Drafts accepted</source>
        <translation>被接受的草稿</translation>
    </message>
    <message>
        <source>Position in the completion (token index)</source>
        <translation>在补全中的位置（词元序号）</translation>
    </message>
    <message>
        <source>Training step</source>
        <translation>训练步</translation>
    </message>
    <message>
        <source>Draft acceptance over training</source>
        <translation>训练过程中的草稿接受率</translation>
    </message>
    <message>
        <source>Class of the token at the drafted position</source>
        <translation>草稿位置上的词元类别</translation>
    </message>
    <message>
        <source>Draft acceptance by position</source>
        <translation>按位置的草稿接受率</translation>
    </message>
    <message>
        <source>Draft acceptance by token class</source>
        <translation>按词元类别的草稿接受率</translation>
    </message>
    <message>
        <source>Who produced each token</source>
        <translation>每个词元由谁产生</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>main model (not drafted)</source>
        <translation>主模型（未起草）</translation>
    </message>
    <message>
        <source>MTP draft, accepted</source>
        <translation>MTP 草稿，被接受</translation>
    </message>
    <message>
        <source>MTP draft rejected: main model&apos;s token</source>
        <translation>MTP 草稿被拒绝：主模型的词元</translation>
    </message>
    <message>
        <source>%1 of %2 drafts accepted (%3, 95% interval %4–%5); %6 tokens per main-model forward. %7</source>
        <translation>%2 个草稿中接受 %1 个（%3，95% 区间 %4–%5）；每次主模型前向 %6 个词元。%7</translation>
    </message>
    <message>
        <source> of %1</source>
        <translation> / %1</translation>
    </message>
    <message>
        <source>Accepted (95% interval)</source>
        <translation>接受率（95% 区间）</translation>
    </message>
    <message>
        <source>Drafts at the position</source>
        <translation>该位置的草稿数</translation>
    </message>
    <message>
        <source>Draft acceptance by position (positions with at least %1 drafts)</source>
        <translation>按位置的草稿接受率（至少有 %1 个草稿的位置）</translation>
    </message>
    <message>
        <source>No token was drafted: every completion ended after its first token.</source>
        <translation>没有起草任何词元：每个补全都在第一个词元后结束。</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>answer digits</source>
        <translation>答案数字</translation>
    </message>
    <message>
        <source>thinking digits</source>
        <translation>思考数字</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>%1 %2 of %3</source>
        <translation>%1 %3 个中 %2 个</translation>
    </message>
    <message>
        <source>drafts accepted</source>
        <translation>被接受的草稿</translation>
    </message>
    <message>
        <source>Accepted of drafted: %1. Thinking digits are those outside &lt;answer&gt;…&lt;/answer&gt;.</source>
        <translation>接受数/起草数：%1。思考数字指 &lt;answer&gt;…&lt;/answer&gt; 之外的数字。</translation>
    </message>
    <message>
        <source>Prompt token %1</source>
        <translation>提示词元 %1</translation>
    </message>
    <message>
        <source>Completion position %1: %2</source>
        <translation>补全位置 %1：%2</translation>
    </message>
    <message>
        <source>Who produced each token (held-out prompt %1)</source>
        <translation>每个词元由谁产生（留出提示 %1）</translation>
    </message>
    <message>
        <source>step %1: %2</source>
        <translation>第 %1 步：%2</translation>
    </message>
    <message>
        <source>nothing drafted</source>
        <translation>没有起草</translation>
    </message>
    <message numerus="yes">
        <source>Draft acceptance over training (%n checkpoint(s))</source>
        <translation>
            <numerusform>训练过程中的草稿接受率（%n 个检查点）</numerusform>
        </translation>
    </message>
    <message>
        <source>No checkpoint to measure.</source>
        <translation>没有可测量的检查点。</translation>
    </message>
    <message>
        <source>No checkpoint could be measured: %1</source>
        <translation>没有能测量的检查点：%1</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::AccumulationPanel</name>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Multiply random FP8 matrices for every K</source>
        <translation>对每个 K 乘一次随机 FP8 矩阵</translation>
    </message>
    <message>
        <source>Press Compute: random matrices, K from 256 to 16,384.</source>
        <translation>按“计算”：随机矩阵，K 从 256 到 16,384。</translation>
    </message>
    <message>
        <source>FP8 GEMM: relative error against K</source>
        <translation>FP8 GEMM：相对误差随 K 的变化</translation>
    </message>
    <message>
        <source>Inner dimension K</source>
        <translation>内维 K</translation>
    </message>
    <message>
        <source>Not computed yet: press Compute.</source>
        <translation>尚未计算：请按“计算”。</translation>
    </message>
    <message>
        <source>uniform [0, 1)</source>
        <translation>均匀分布 [0, 1)</translation>
    </message>
    <message>
        <source>normal N(0, 1)</source>
        <translation>正态分布 N(0, 1)</translation>
    </message>
    <message>
        <source>about 1 entry in 1000 multiplied by 100</source>
        <translation>约每 1000 个元素中有 1 个乘以 100</translation>
    </message>
    <message>
        <source>Mantissa bits the tensor core keeps of the running sum (13: Hopper&apos;s FP8 MMA as measured by MMA-Sim; the report says about 14)</source>
        <translation>张量核心在累加和中保留的尾数位数（13：MMA-Sim 测得的 Hopper FP8 MMA；报告称约 14 位）</translation>
    </message>
    <message>
        <source>N_C: elements of K between two copies of the partial sum into an FP32 register (DeepSeek-V3: 128)</source>
        <translation>N_C：两次把部分和复制到 FP32 寄存器之间的 K 元素数（DeepSeek-V3：128）</translation>
    </message>
    <message>
        <source>maximum over the outputs</source>
        <translation>所有输出中的最大值</translation>
    </message>
    <message>
        <source>mean over the outputs</source>
        <translation>所有输出的平均值</translation>
    </message>
    <message>
        <source>Entries:</source>
        <translation>元素：</translation>
    </message>
    <message>
        <source>Outliers:</source>
        <translation>离群值：</translation>
    </message>
    <message>
        <source>Accumulator mantissa bits:</source>
        <translation>累加器尾数位：</translation>
    </message>
    <message>
        <source>Promote every N_C:</source>
        <translation>每 N_C 个提升一次：</translation>
    </message>
    <message>
        <source>Relative error:</source>
        <translation>相对误差：</translation>
    </message>
    <message>
        <source>Multiplying %1 x K by K x %2 FP8 matrices…</source>
        <translation>正在计算 %1 x K 与 K x %2 的 FP8 矩阵乘法…</translation>
    </message>
    <message>
        <source>%1-bit accumulator, never promoted</source>
        <translation>%1 位累加器，从不提升</translation>
    </message>
    <message>
        <source>promoted to FP32 every %1</source>
        <translation>每 %1 个提升到 FP32</translation>
    </message>
    <message>
        <source>FP32 accumulator</source>
        <translation>FP32 累加器</translation>
    </message>
    <message>
        <source>Maximum relative error</source>
        <translation>最大相对误差</translation>
    </message>
    <message>
        <source>Mean relative error</source>
        <translation>平均相对误差</translation>
    </message>
    <message>
        <source>DeepSeek-V3 report: nearly 2% at K = 4096</source>
        <translation>DeepSeek-V3 报告：K = 4096 时接近 2%</translation>
    </message>
    <message>
        <source>The same E4M3 operands (one scale per tensor) multiplied three ways, each against the FP64 product of those operands, so only the accumulation differs. At K = %1 E4M3 itself moved the inputs by %2% on average: the error a GEMM starts from.</source>
        <translation>同一组 E4M3 操作数（每个张量一个缩放因子）以三种方式相乘，各自与这些操作数的 FP64 乘积比较，因此只有累加方式不同。K = %1 时，E4M3 本身平均使输入偏移 %2%：这是 GEMM 的起始误差。</translation>
    </message>
    <message>
        <source>%1 × K by K × %2, entries %3, %4, seed %5.</source>
        <translation>%1 × K 乘 K × %2，元素 %3，%4，种子 %5。</translation>
    </message>
    <message>
        <source>with outliers</source>
        <translation>含离群值</translation>
    </message>
    <message>
        <source>no outliers</source>
        <translation>无离群值</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::EvaluationPage</name>
    <message>
        <source>Held-out evaluations beyond one accuracy: pass@k and maj@k curves, and accuracy by difficulty. Open a run to see them.</source>
        <translation>不止一个准确率的留出集评估：pass@k 与 maj@k 曲线，以及按难度划分的准确率。打开一个运行即可查看。</translation>
    </message>
    <message>
        <source>Runs shown on the Training page (the current run and those added with Compare), with their control arms.</source>
        <translation>训练页面上显示的运行（当前运行及通过“比较”加入的运行），以及它们的对照组。</translation>
    </message>
    <message>
        <source>Export Charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Write both figures of this page as PNG, SVG, PDF and CSV</source>
        <translation>将本页的两幅图导出为 PNG、SVG、PDF 和 CSV</translation>
    </message>
    <message>
        <source>pass@k and maj@k</source>
        <translation>pass@k 与 maj@k</translation>
    </message>
    <message>
        <source>Accuracy by Difficulty</source>
        <translation>按难度的准确率</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>pass@k (a right answer among k samples)</source>
        <translation>pass@k（k 个样本中有正确答案）</translation>
    </message>
    <message>
        <source>maj@k (the vote of k samples is right)</source>
        <translation>maj@k（k 个样本的投票正确）</translation>
    </message>
    <message>
        <source>Measure Current Run</source>
        <translation>测量当前运行</translation>
    </message>
    <message>
        <source>Sample 64 completions of each of 100 held-out problems from the current run&apos;s latest checkpoint at its rollout temperature, and store the curve with the run (a minute or more)</source>
        <translation>以采样温度从当前运行的最新检查点为 100 道留出题各采样 64 个补全，并将曲线存入该运行（需要一分钟或更久）</translation>
    </message>
    <message>
        <source>Samples per problem (k)</source>
        <translation>每题样本数 (k)</translation>
    </message>
    <message>
        <source>Share of problems</source>
        <translation>题目占比</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>运行：</translation>
    </message>
    <message>
        <source>Held-out greedy accuracy by difficulty bucket</source>
        <translation>按难度分桶的留出集贪心准确率</translation>
    </message>
    <message>
        <source>Bucket (problems)</source>
        <translation>桶（题数）</translation>
    </message>
    <message>
        <source>Step of the evaluation</source>
        <translation>评估所在步</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>%1 · step %2</source>
        <translation>%1 · 第 %2 步</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <source> · T %1</source>
        <translation> · T %1</translation>
    </message>
    <message>
        <source> · pass@k</source>
        <translation> · pass@k</translation>
    </message>
    <message>
        <source> · maj@k</source>
        <translation> · maj@k</translation>
    </message>
    <message>
        <source>%1: pass@1 %2, pass@%3 %4, maj@%3 %5 (%6 problems × %7 samples, temperature %8)</source>
        <translation>%1：pass@1 %2，pass@%3 %4，maj@%3 %5（%6 道题 × %7 个样本，温度 %8）</translation>
    </message>
    <message>
        <source>pass@k (solid) and maj@k (dashed) on held-out problems</source>
        <translation>留出题上的 pass@k（实线）与 maj@k（虚线）</translation>
    </message>
    <message>
        <source>pass@k on held-out problems</source>
        <translation>留出题上的 pass@k</translation>
    </message>
    <message>
        <source>maj@k on held-out problems</source>
        <translation>留出题上的 maj@k</translation>
    </message>
    <message>
        <source>Open a run to see its pass@k curves.</source>
        <translation>打开一个运行以查看其 pass@k 曲线。</translation>
    </message>
    <message>
        <source>No pass@k curve stored for run %1 or its control arm yet. Press &quot;Measure Current Run&quot;, or measure any checkpoint of it with:
tinyseek passk --db FILE --run %1 [--step N]</source>
        <translation>运行 %1 及其对照组尚未存储 pass@k 曲线。请点击“测量当前运行”，或用以下命令测量它的任一检查点：
tinyseek passk --db FILE --run %1 [--step N]</translation>
    </message>
    <message>
        <source>Measuring pass@k of run %1…</source>
        <translation>正在测量运行 %1 的 pass@k…</translation>
    </message>
    <message>
        <source>Cancel Measurement</source>
        <translation>取消测量</translation>
    </message>
    <message>
        <source>The measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <source>Measurement cancelled; nothing was stored.</source>
        <translation>测量已取消，未存储任何内容。</translation>
    </message>
    <message>
        <source>Run %1 %2</source>
        <translation>运行 %1 %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Open a run to see its accuracy by difficulty.</source>
        <translation>打开一个运行以查看其按难度的准确率。</translation>
    </message>
    <message>
        <source>Run %1 stores no accuracy by difficulty: its evaluations ran before this version of TinySeek, with eval.bucket_min = 0, or not yet.</source>
        <translation>运行 %1 没有存储按难度的准确率：它的评估早于此版本的 TinySeek、使用了 eval.bucket_min = 0，或尚未进行。</translation>
    </message>
    <message>
        <source>Step %1: hardest %2 at %3, easiest %4 at %5. Buckets a uniform draw rarely hits (short operands) are topped up with held-out problems (eval.bucket_min); those count in their length bucket only, never in eval/accuracy.</source>
        <translation>第 %1 步：最难的是 %2，为 %3；最容易的是 %4，为 %5。均匀抽样很少抽到的桶（短操作数）会用留出题补足（eval.bucket_min）；这些题只计入其长度桶，从不计入 eval/accuracy。</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Measuring pass@k of run %1: %2 of %3 samples drawn…</source>
        <translation>正在测量运行 %1 的 pass@k：已抽取 %3 个样本中的 %2 个…</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ExplorePage</name>
    <message>
        <source>Open a run that has a checkpoint, or a checkpoint folder, to look inside one forward pass of the model.</source>
        <translation>打开一个带检查点的运行或一个检查点文件夹，即可查看模型一次前向传播的内部。</translation>
    </message>
    <message>
        <source>Checkpoints of the current run, by training step</source>
        <translation>当前运行的检查点（按训练步）</translation>
    </message>
    <message>
        <source>Open Checkpoint…</source>
        <translation>打开检查点…</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文本：</translation>
    </message>
    <message>
        <source>e.g. &lt;bos&gt;57+68=&lt;think&gt; (tags become single tokens)</source>
        <translation>例如 &lt;bos&gt;57+68=&lt;think&gt;（标签会成为单个词元）</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Held-Out Problem</source>
        <translation>留出题目</translation>
    </message>
    <message>
        <source>The next problem of the evaluator&apos;s held-out set of the model&apos;s task (never trained on)</source>
        <translation>模型任务的评估留出集中的下一道题（从未用于训练）</translation>
    </message>
    <message>
        <source>No model: open a run that has a checkpoint, or a checkpoint folder.</source>
        <translation>没有模型：请打开一个带检查点的运行或一个检查点文件夹。</translation>
    </message>
    <message>
        <source>No model yet: open a run with a checkpoint, or Open Checkpoint…</source>
        <translation>尚无模型：请打开带检查点的运行，或“打开检查点…”</translation>
    </message>
    <message>
        <source>No model yet.</source>
        <translation>尚无模型。</translation>
    </message>
    <message>
        <source>The run&apos;s checkpoints could not be read: %1</source>
        <translation>无法读取该运行的检查点：%1</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>The run has no checkpoint yet (one is written every 200 steps and at the end of each stage).</source>
        <translation>该运行还没有检查点（每 200 步及每个阶段结束时写入一个）。</translation>
    </message>
    <message>
        <source>Model: checkpoint of step %1 of run %2 (%3)</source>
        <translation>模型：运行 %2 第 %1 步的检查点（%3）</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Same text, new model</source>
        <translation>文本不变，模型已更换</translation>
    </message>
    <message>
        <source>Open Checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <source>Held-out problem %1 · %2</source>
        <translation>留出题目 %1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s), forward and internals in %1 ms</source>
        <translation>
            <numerusform>%n 个词元，前向及内部数据用时 %1 毫秒</numerusform>
        </translation>
    </message>
    <message>
        <source>Explore</source>
        <translation>探索</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Type a text above, or pick a held-out problem.</source>
        <translation>在上方输入文本，或选择一道留出题目。</translation>
    </message>
    <message>
        <source>Nothing inspected yet.</source>
        <translation>尚未查看任何文本。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ExportFigureDialog</name>
    <message>
        <source>Export Chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>The extension chooses the format: .png, .svg, .pdf or .csv</source>
        <translation>扩展名决定格式：.png、.svg、.pdf 或 .csv</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>尺寸：</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>Image pixels per size pixel (PNG only)</source>
        <translation>每个尺寸像素对应的图像像素数（仅 PNG）</translation>
    </message>
    <message>
        <source>PNG scale:</source>
        <translation>PNG 缩放：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG vector image (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV data (*.csv)</source>
        <translation>CSV 数据 (*.csv)</translation>
    </message>
    <message>
        <source>%1 × %2 image pixels</source>
        <translation>%1 × %2 图像像素</translation>
    </message>
    <message>
        <source>Choose a file to write.</source>
        <translation>请选择要写入的文件。</translation>
    </message>
    <message>
        <source>White (for documents)</source>
        <translation>白色（用于文档）</translation>
    </message>
    <message>
        <source>Dark (as on screen in dark mode)</source>
        <translation>深色（同深色模式下的屏幕显示）</translation>
    </message>
    <message>
        <source>Background:</source>
        <translation>背景：</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ForwardInternalsView</name>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Logit Lens</source>
        <translation>Logit 透镜</translation>
    </message>
    <message>
        <source>Nothing inspected yet.</source>
        <translation>尚未查看任何文本。</translation>
    </message>
    <message>
        <source>MoE layer:</source>
        <translation>MoE 层：</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Gate weight</source>
        <translation>门控权重</translation>
    </message>
    <message>
        <source>Expert %1</source>
        <translation>专家 %1</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>头：</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>RoPE share of the score</source>
        <translation>分数中 RoPE 部分的占比</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Logit lens: the final prediction&apos;s probability at each layer</source>
        <translation>Logit 透镜：最终预测在各层的概率</translation>
    </message>
    <message>
        <source>Residual stream after</source>
        <translation>残差流位置</translation>
    </message>
    <message>
        <source>Position (its token)</source>
        <translation>位置（及其词元）</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Each row reads the residual stream through the final norm and the output head. Bright cells: the prediction the model finally makes at that position is already there. Hover a cell for that layer&apos;s own top token.</source>
        <translation>每一行把残差流经过最终归一化和输出头读出。亮色单元格表示模型在该位置最终做出的预测此时已经形成。将鼠标悬停在单元格上可查看该层自己的最可能词元。</translation>
    </message>
    <message>
        <source>%1 “%2”</source>
        <translation>%1 “%2”</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>第 %1 头</translation>
    </message>
    <message>
        <source>This model has no MoE layer.</source>
        <translation>该模型没有 MoE 层。</translation>
    </message>
    <message>
        <source>affinity %1, bias %2</source>
        <translation>亲和度 %1，偏置 %2</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>bias pushed it in</source>
        <translation>偏置使其入选</translation>
    </message>
    <message>
        <source>bias pushed it out of the top-%1</source>
        <translation>偏置使其落出 top-%1</translation>
    </message>
    <message>
        <source>shared (always on)</source>
        <translation>共享专家（始终启用）</translation>
    </message>
    <message>
        <source>Gate weights of the chosen experts, layer %1 (top-%2 of %3)</source>
        <translation>所选专家的门控权重，第 %1 层（%3 选 %2）</translation>
    </message>
    <message>
        <source>layer %1: expert %2 (%3)</source>
        <translation>第 %1 层：专家 %2（%3）</translation>
    </message>
    <message>
        <source>Top-1 expert by layer</source>
        <translation>各层的首选专家</translation>
    </message>
    <message>
        <source>Each token&apos;s top-1 expert in layer %1 (hover: every layer)</source>
        <translation>各词元在第 %1 层的首选专家（悬停查看各层）</translation>
    </message>
    <message>
        <source>Top-1 expert (layer %1)</source>
        <translation>首选专家（第 %1 层）</translation>
    </message>
    <message>
        <source>RoPE share</source>
        <translation>RoPE 占比</translation>
    </message>
    <message>
        <source>Share of each score from the RoPE part, layer %1, head %2</source>
        <translation>各分数中来自 RoPE 部分的占比，第 %1 层，第 %2 头</translation>
    </message>
    <message>
        <source>Attention weights, layer %1, head %2</source>
        <translation>注意力权重，第 %1 层，第 %2 头</translation>
    </message>
    <message>
        <source>What this head attends to comes %1% from position (RoPE) and %2% from content, weighted by attention.</source>
        <translation>按注意力加权，该头关注的内容有 %1% 来自位置（RoPE），%2% 来自内容。</translation>
    </message>
    <message>
        <source>The cache keeps c_KV (%1) and the shared k_rope (%2): %3 floats per token per layer; MHA would keep %4, %5× more.</source>
        <translation>缓存保存 c_KV（%1）和共享的 k_rope（%2）：每个词元每层 %3 个浮点数；MHA 需要保存 %4 个，是其 %5 倍。</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>block %1</source>
        <translation>第 %1 块</translation>
    </message>
    <message>
        <source>top token here: “%1” (%2%); final: “%3”</source>
        <translation>此处最可能的词元：“%1”（%2%）；最终：“%3”</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::Fp8TrainingPanel</name>
    <message>
        <source>%1, seed %2 (run %3)</source>
        <translation>%1，种子 %2（运行 %3）</translation>
    </message>
    <message>
        <source>SFT loss: FP8 against FP32</source>
        <translation>SFT 损失：FP8 对比 FP32</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>gap (%)</source>
        <translation>差距 (%)</translation>
    </message>
    <message>
        <source>Open a run to compare it with its FP8 or FP32 twin.</source>
        <translation>打开一个运行，将其与对应的 FP8 或 FP32 孪生运行比较。</translation>
    </message>
    <message>
        <source>Relative SFT loss gap</source>
        <translation>SFT 损失相对差距</translation>
    </message>
    <message>
        <source>FP8 against FP32 (same seed)</source>
        <translation>FP8 对比 FP32（相同种子）</translation>
    </message>
    <message>
        <source>FP32 seed %1 against seed %2 (the noise)</source>
        <translation>FP32 种子 %1 对比种子 %2（噪声）</translation>
    </message>
    <message>
        <source>Relative SFT loss gap, trailing means over %1 steps</source>
        <translation>SFT 损失相对差距，%1 步滑动平均</translation>
    </message>
    <message>
        <source>SFT loss gap over the stage&apos;s last 10% (steps %1–%2): FP8 %3 against FP32; whole stage %4.</source>
        <translation>该阶段最后 10%（第 %1–%2 步）的 SFT 损失差距：FP8 相对 FP32 为 %3；整个阶段为 %4。</translation>
    </message>
    <message>
        <source>Two FP32 seeds differ by %1 (last 10%) and %2 (whole): the noise.</source>
        <translation>两个 FP32 种子相差 %1（最后 10%）和 %2（整个阶段）：这是噪声。</translation>
    </message>
    <message>
        <source>No FP32 run of another seed is stored to show the noise.</source>
        <translation>没有存储其他种子的 FP32 运行，无法显示噪声。</translation>
    </message>
    <message>
        <source>DeepSeek-V3 reports its FP8 loss within 0.25% of BF16.</source>
        <translation>DeepSeek-V3 报告其 FP8 损失与 BF16 相差不到 0.25%。</translation>
    </message>
    <message>
        <source>Held-out accuracy at step 1,000: FP8 %1, FP32 %2; at the end: FP8 %3, FP32 %4.</source>
        <translation>第 1,000 步的留出集准确率：FP8 %1，FP32 %2；结束时：FP8 %3，FP32 %4。</translation>
    </message>
    <message>
        <source>Overlay on the Training Page</source>
        <translation>叠加到训练页</translation>
    </message>
    <message>
        <source>Show these runs together on the Training page, every metric</source>
        <translation>在训练页上同时显示这些运行的所有指标</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::GranularityPanel</name>
    <message>
        <source>embed</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>dense MLP</source>
        <translation>稠密 MLP</translation>
    </message>
    <message>
        <source>router</source>
        <translation>路由器</translation>
    </message>
    <message>
        <source>experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>shared exp.</source>
        <translation>共享专家</translation>
    </message>
    <message>
        <source>MTP</source>
        <translation>MTP</translation>
    </message>
    <message>
        <source>head</source>
        <translation>输出头</translation>
    </message>
    <message>
        <source>x: attn in</source>
        <translation>x：注意力输入</translation>
    </message>
    <message>
        <source>x: head in</source>
        <translation>x：输出头输入</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Quantise the checkpoint&apos;s weights and activations both ways</source>
        <translation>用两种方式量化检查点的权重和激活</translation>
    </message>
    <message>
        <source>Mean relative quantisation error</source>
        <translation>平均相对量化误差</translation>
    </message>
    <message>
        <source>|q(x) − x| / |x|</source>
        <translation>|q(x) − x| / |x|</translation>
    </message>
    <message>
        <source>Share of non-zero values flushed to zero</source>
        <translation>非零值被清零的比例</translation>
    </message>
    <message>
        <source>share</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>T: weights in T×T blocks, activations in 1×T tiles. DeepSeek-V3 uses 128; the tiny model&apos;s matrices are 32 to 384 wide, so smaller tiles show the effect</source>
        <translation>T：权重按 T×T 块，激活按 1×T 分块。DeepSeek-V3 使用 128；小模型的矩阵宽 32 到 384，因此更小的分块才能显示效果</translation>
    </message>
    <message>
        <source>Entries per matrix multiplied by 1000 in the outlier bars (0: no outlier bars)</source>
        <translation>离群值柱中每个矩阵乘以 1000 的元素数（0：不显示离群值柱）</translation>
    </message>
    <message>
        <source>Tile T:</source>
        <translation>分块 T：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Outliers per matrix:</source>
        <translation>每个矩阵的离群值：</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Press Compute: %1 held-out addition problems run through the model for its activations.</source>
        <translation>按“计算”：让模型处理 %1 道留出加法题以获取其激活。</translation>
    </message>
    <message>
        <source>Not computed yet: press Compute.</source>
        <translation>尚未计算：请按“计算”。</translation>
    </message>
    <message>
        <source>Quantising the weights and activations of the checkpoint…</source>
        <translation>正在量化检查点的权重和激活…</translation>
    </message>
    <message>
        <source>per tensor</source>
        <translation>按张量</translation>
    </message>
    <message>
        <source>per tile (%1×%1, 1×%1)</source>
        <translation>按分块（%1×%1，1×%1）</translation>
    </message>
    <message>
        <source>per tensor, outliers</source>
        <translation>按张量，含离群值</translation>
    </message>
    <message>
        <source>per tile, outliers</source>
        <translation>按分块，含离群值</translation>
    </message>
    <message>
        <source>%1, scales from each tile&apos;s largest magnitude. Weight groups, then activations (x): the input of layer 0&apos;s attention and of the head, %2 tokens. Outliers: %3 entries per matrix ×1000.</source>
        <translation>%1，缩放因子取自每个分块的最大幅值。先是各组权重，然后是激活 (x)：第 0 层注意力的输入和输出头的输入，共 %2 个词元。离群值：每个矩阵 %3 个元素 ×1000。</translation>
    </message>
    <message>
        <source>Computed on %1 tokens and every 2-D weight.</source>
        <translation>已在 %1 个词元和所有二维权重上计算。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ImportDialog</name>
    <message>
        <source>Import a Run</source>
        <translation>导入运行</translation>
    </message>
    <message>
        <source>Read a run trained elsewhere into the open database: a verl metrics JSONL (with the generation dumps beside it), a TRL or transformers output folder (trainer_state.json), or a TensorBoard log folder (events.out.tfevents.*). A folder is searched for all of them; each log becomes a run, and importing the same log again updates its run.</source>
        <translation>将在别处训练的运行读入当前数据库：verl 指标 JSONL（及其旁边的生成转储）、TRL 或 transformers 输出文件夹（trainer_state.json），或 TensorBoard 日志文件夹（events.out.tfevents.*）。文件夹会被搜索以查找以上所有日志；每个日志成为一个运行，再次导入同一日志会更新其运行。</translation>
    </message>
    <message>
        <source>A log file or a folder</source>
        <translation>日志文件或文件夹</translation>
    </message>
    <message>
        <source>&amp;Folder…</source>
        <translation>文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>F&amp;ile…</source>
        <translation>文件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Follow: keep reading what the run adds (every second) while the window is open</source>
        <translation>跟随(&amp;F)：窗口打开期间持续读取运行新增的内容（每秒一次）</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Import a Log Folder</source>
        <translation>导入日志文件夹</translation>
    </message>
    <message>
        <source>Import a Log File</source>
        <translation>导入日志文件</translation>
    </message>
    <message>
        <source>Training logs (*.jsonl trainer_state.json events.out.tfevents.*);;All files (*)</source>
        <translation>训练日志 (*.jsonl trainer_state.json events.out.tfevents.*);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ImportFollower</name>
    <message>
        <source>%1 → run %2: %3 steps, %4 values, %5 completions</source>
        <translation>%1 → 运行 %2：%3 步，%4 个数值，%5 个补全</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::InferencePage</name>
    <message>
        <source>Speculative decoding with the MTP draft, generation throughput and the KV cache will appear here once a model is loaded.</source>
        <translation>加载模型后，这里将显示使用 MTP 草稿的推测解码、生成吞吐量和 KV 缓存。</translation>
    </message>
    <message>
        <source>MTP Acceptance</source>
        <translation>MTP 接受率</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>KV Cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <source>Open Checkpoint…</source>
        <translation>打开检查点…</translation>
    </message>
    <message>
        <source>Measure a checkpoint directory from disk instead of the run&apos;s latest checkpoint</source>
        <translation>测量磁盘上的某个检查点目录，而不是该运行的最新检查点</translation>
    </message>
    <message>
        <source>Export Charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Write every chart of this page as PNG, SVG, PDF and CSV</source>
        <translation>将本页每个图表写出为 PNG、SVG、PDF 和 CSV</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the measurement (within one decoding step)</source>
        <translation>停止测量（在一个解码步之内）</translation>
    </message>
    <message>
        <source>Model: a freshly initialised tiny model — run %1 could not be read: %2</source>
        <translation>模型：新初始化的 tiny 模型——无法读取运行 %1：%2</translation>
    </message>
    <message>
        <source>Model: a freshly initialised tiny model — run “%1” has no checkpoint yet (one is written every 200 steps and at the end of each stage). Cache sizes depend only on the dimensions.</source>
        <translation>模型：新初始化的 tiny 模型——运行“%1”还没有检查点（每 200 步及每个阶段结束时写入一个）。缓存大小只取决于维度。</translation>
    </message>
    <message>
        <source>Model: a freshly initialised tiny model — the checkpoint of run %1 could not be read: %2</source>
        <translation>模型：新初始化的 tiny 模型——无法读取运行 %1 的检查点：%2</translation>
    </message>
    <message>
        <source>Model: run “%1”, checkpoint of step %2 (%3)</source>
        <translation>模型：运行“%1”，第 %2 步的检查点（%3）</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Model: checkpoint %1 (opened from disk)</source>
        <translation>模型：检查点 %1（从磁盘打开）</translation>
    </message>
    <message>
        <source>Open Checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <source>Model: a freshly initialised tiny model (no run is open). Open a run with a checkpoint, or a checkpoint directory (“Open Checkpoint…”), to measure its MTP draft.</source>
        <translation>模型：新初始化的 tiny 模型（未打开运行）。打开一个有检查点的运行，或一个检查点目录（“打开检查点…”），以测量它的 MTP 草稿。</translation>
    </message>
    <message>
        <source>Greedy speculative decoding of the first %1 held-out %2 problems (the evaluator&apos;s set, never trained on), latent cache, at most %3 new tokens, stopping at &lt;/answer&gt; or &lt;eos&gt;.</source>
        <translation>对前 %1 个留出的 %2 问题（评估器的集合，从未用于训练）做贪心推测解码，潜在缓存，最多 %3 个新词元，遇到 &lt;/answer&gt; 或 &lt;eos&gt; 停止。</translation>
    </message>
    <message>
        <source>No trained model: open a run that has a checkpoint, or a checkpoint directory (“Open Checkpoint…”), to measure how often its MTP draft is accepted. A freshly initialised model&apos;s drafts are noise.</source>
        <translation>没有训练过的模型：打开一个有检查点的运行，或一个检查点目录（“打开检查点…”），以测量其 MTP 草稿被接受的频率。新初始化模型的草稿只是噪声。</translation>
    </message>
    <message>
        <source>This model has no MTP module (num_nextn_predict_layers = 0), so there is no draft to accept. Train with num_nextn_predict_layers = 1 for speculative decoding.</source>
        <translation>该模型没有 MTP 模块（num_nextn_predict_layers = 0），因此没有可接受的草稿。要使用推测解码，请以 num_nextn_predict_layers = 1 训练。</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <source>Press “Measure Throughput” to time plain and speculative decoding of held-out prompts at batch sizes %1, in both cache modes.</source>
        <translation>按“测量吞吐量”，在两种缓存模式下、以批大小 %1 为留出提示的普通解码和推测解码计时。</translation>
    </message>
    <message>
        <source>No trained model: the measurement runs on a freshly initialised one, whose drafts are almost never accepted, so it shows the cost of speculation only.</source>
        <translation>没有训练过的模型：测量在新初始化的模型上进行，其草稿几乎从不被接受，因此只显示推测的开销。</translation>
    </message>
    <message>
        <source>Measurement cancelled.</source>
        <translation>测量已取消。</translation>
    </message>
    <message>
        <source>Cancelled. Press “Measure Throughput” to measure again.</source>
        <translation>已取消。按“测量吞吐量”重新测量。</translation>
    </message>
    <message>
        <source>Cancelled. Press “Measure Again” to measure.</source>
        <translation>已取消。按“重新测量”进行测量。</translation>
    </message>
    <message>
        <source>Measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <source>Measuring the MTP draft&apos;s acceptance on %1 held-out prompts…</source>
        <translation>正在 %1 个留出提示上测量 MTP 草稿的接受率…</translation>
    </message>
    <message numerus="yes">
        <source>Measuring the draft&apos;s acceptance at %n checkpoint(s)…</source>
        <translation>
            <numerusform>正在 %n 个检查点上测量草稿的接受率…</numerusform>
        </translation>
    </message>
    <message>
        <source>Timing plain and speculative decoding…</source>
        <translation>正在为普通解码和推测解码计时…</translation>
    </message>
    <message>
        <source>not a checkpoint directory (it needs config.json and model.safetensors)</source>
        <translation>不是检查点目录（需要 config.json 和 model.safetensors）</translation>
    </message>
    <message>
        <source>Inference</source>
        <translation>推理</translation>
    </message>
    <message numerus="yes">
        <source>Times greedy decoding of held-out prompts, plain and speculative, in the latent and the expanded cache, at each batch size; each point is the fastest of %n sample(s) of at least %1 s. Other work on the machine slows it down.</source>
        <translation>
            <numerusform>在潜在缓存和展开缓存中、以每种批大小为留出提示的贪心解码（普通与推测）计时；每个点取 %n 个至少 %1 秒的样本中最快的一个。机器上的其他工作会使它变慢。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::JobStrip</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the computation</source>
        <translation>停止计算</translation>
    </message>
    <message>
        <source>Cancelled: press the button to compute again.</source>
        <translation>已取消：按按钮重新计算。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::KvCachePanel</name>
    <message>
        <source>Element type:</source>
        <translation>元素类型：</translation>
    </message>
    <message>
        <source>Bytes per cached element in the computed figures</source>
        <translation>计算图中每个缓存元素的字节数</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>序列长度：</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>Tokens per sequence for the memory budget</source>
        <translation>用于内存预算的每序列词元数</translation>
    </message>
    <message>
        <source>Memory budget:</source>
        <translation>内存预算：</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Memory the KV caches of a batch may take</source>
        <translation>一个批次的 KV 缓存可占用的内存</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Sequences per batch for the measured cache</source>
        <translation>实测缓存的每批序列数</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>KV cache per token (log scale)</source>
        <translation>每词元 KV 缓存（对数刻度）</translation>
    </message>
    <message>
        <source>Tokens per sequence</source>
        <translation>每序列词元数</translation>
    </message>
    <message>
        <source>Allocated cache (log scale)</source>
        <translation>已分配缓存（对数刻度）</translation>
    </message>
    <message>
        <source>Sequences</source>
        <translation>序列数</translation>
    </message>
    <message>
        <source>This model (%1)</source>
        <translation>本模型（%1）</translation>
    </message>
    <message>
        <source>DeepSeek-V2 †</source>
        <translation>DeepSeek-V2 †</translation>
    </message>
    <message>
        <source>DeepSeek-V3 †</source>
        <translation>DeepSeek-V3 †</translation>
    </message>
    <message>
        <source>%1 (assumed)</source>
        <translation>%1（假定）</translation>
    </message>
    <message>
        <source>MHA</source>
        <translation>MHA</translation>
    </message>
    <message>
        <source>GQA</source>
        <translation>GQA</translation>
    </message>
    <message>
        <source>MQA</source>
        <translation>MQA</translation>
    </message>
    <message>
        <source>MLA</source>
        <translation>MLA</translation>
    </message>
    <message>
        <source>KV cache per token, all layers (%1)</source>
        <translation>每词元 KV 缓存，全部层（%1）</translation>
    </message>
    <message>
        <source>† Computed from the published dimensions of DeepSeek-V2 and V3 (their config.json); nothing of them is run. All bars: %1 bytes per element, MTP block not counted. GQA KV heads: this model %2, DeepSeek-V2 %3, DeepSeek-V3 %4.</source>
        <translation>† 由 DeepSeek-V2 和 V3 公开的维度（其 config.json）计算；并未运行它们。所有柱：每元素 %1 字节，不计 MTP 模块。GQA 的 KV 头数：本模型 %2，DeepSeek-V2 %3，DeepSeek-V3 %4。</translation>
    </message>
    <message>
        <source>latent</source>
        <translation>潜在</translation>
    </message>
    <message>
        <source>expanded</source>
        <translation>展开</translation>
    </message>
    <message>
        <source>%1, batch %2</source>
        <translation>%1，批大小 %2</translation>
    </message>
    <message>
        <source>%1 %2 per token (%3 the formula)</source>
        <translation>%1 每词元 %2（%3公式）</translation>
    </message>
    <message>
        <source>equals</source>
        <translation>等于</translation>
    </message>
    <message>
        <source>differs from</source>
        <translation>不同于</translation>
    </message>
    <message>
        <source>Cache the generator allocates (measured, fp32)</source>
        <translation>生成器分配的缓存（实测，fp32）</translation>
    </message>
    <message>
        <source>Bytes of a real KvCache allocation on this model for B sequences of N tokens: %1.</source>
        <translation>本模型为 B 个 N 词元序列实际分配的 KvCache 字节数：%1。</translation>
    </message>
    <message>
        <source>computed, %1</source>
        <translation>计算值，%1</translation>
    </message>
    <message>
        <source>this program&apos;s cache (fp32, measured)</source>
        <translation>本程序的缓存（fp32，实测）</translation>
    </message>
    <message>
        <source>Largest batch of %1-token sequences in %2 MiB</source>
        <translation>%2 MiB 内可容纳的 %1 词元序列的最大批大小</translation>
    </message>
    <message>
        <source>This model. floor(budget ÷ (tokens × bytes per token)); the measured bars use the generator&apos;s latent (MLA) and expanded caches.</source>
        <translation>本模型。floor(预算 ÷ (词元数 × 每词元字节数))；实测柱使用生成器的潜在（MLA）和展开缓存。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::MainWindow</name>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>&amp;New Run…</source>
        <translation>新建运行(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open Database…</source>
        <translation>打开数据库(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a TinySeek run database (*.db, *.sqlite)</source>
        <translation>打开 TinySeek 运行数据库（*.db、*.sqlite）</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Show every page again, tabbed, with Training in front</source>
        <translation>重新显示所有页面，以标签页排列，训练页在最前</translation>
    </message>
    <message>
        <source>&amp;About TinySeek Workbench</source>
        <translation>关于 TinySeek 工作台(&amp;A)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the running job; completed steps are kept</source>
        <translation>取消正在运行的任务；已完成的步会保留</translation>
    </message>
    <message>
        <source>The language will change the next time TinySeek Workbench starts.</source>
        <translation>语言将在下次启动 TinySeek 工作台时生效。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Open Database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <source>TinySeek databases (*.db *.sqlite);;All files (*)</source>
        <translation>TinySeek 数据库 (*.db *.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot Open Database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>No Recent Databases</source>
        <translation>没有最近打开的数据库</translation>
    </message>
    <message>
        <source>%1  (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>TinySeek Workbench</source>
        <translation>TinySeek 工作台</translation>
    </message>
    <message>
        <source>No database open (File &gt; Open Database…)</source>
        <translation>未打开数据库（文件 &gt; 打开数据库…）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>ETA --</source>
        <translation>剩余时间 --</translation>
    </message>
    <message>
        <source>ETA %1 s</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <source>ETA %1 min %2 s</source>
        <translation>剩余 %1 分 %2 秒</translation>
    </message>
    <message>
        <source>ETA %1 h %2 min</source>
        <translation>剩余 %1 小时 %2 分</translation>
    </message>
    <message>
        <source>Configure and start a training run in the open database</source>
        <translation>配置并在当前数据库中启动训练运行</translation>
    </message>
    <message>
        <source>Start a new run, or continue the paused one</source>
        <translation>启动新的运行，或继续已暂停的运行</translation>
    </message>
    <message>
        <source>Pause training after the current step</source>
        <translation>在当前步完成后暂停训练</translation>
    </message>
    <message>
        <source>Stop training and keep the completed steps</source>
        <translation>停止训练并保留已完成的步</translation>
    </message>
    <message>
        <source>Training Is Running</source>
        <translation>训练正在进行</translation>
    </message>
    <message>
        <source>Run %1 is still training. Stop it and quit?

The steps completed so far stay stored; the run can be resumed from its last checkpoint.</source>
        <translation>运行 %1 仍在训练。停止并退出吗？

已完成的步会保留在数据库中；之后可从最后一个检查点继续该运行。</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>停止并退出</translation>
    </message>
    <message>
        <source>Stopping the run after its current step…</source>
        <translation>正在当前步完成后停止运行…</translation>
    </message>
    <message>
        <source>Stop the training run before opening another database.</source>
        <translation>请先停止训练运行，再打开其他数据库。</translation>
    </message>
    <message>
        <source>Run %1 started.</source>
        <translation>运行 %1 已启动。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Open a database before starting a run.</source>
        <translation>请先打开数据库再启动运行。</translation>
    </message>
    <message>
        <source>Cannot Start Run</source>
        <translation>无法启动运行</translation>
    </message>
    <message>
        <source>Cannot Create Database</source>
        <translation>无法创建数据库</translation>
    </message>
    <message>
        <source>Cannot create the database &apos;%1&apos;: %2</source>
        <translation>无法创建数据库“%1”：%2</translation>
    </message>
    <message>
        <source>Demo: %1, SFT then GRPO</source>
        <translation>演示：%1，先 SFT 后 GRPO</translation>
    </message>
    <message>
        <source>Run %1 completed.</source>
        <translation>运行 %1 已完成。</translation>
    </message>
    <message>
        <source>Run %1 stopped; its completed steps are kept.</source>
        <translation>运行 %1 已停止；已完成的步已保留。</translation>
    </message>
    <message>
        <source>Run %1 failed: %2

The steps completed before the failure are kept, and the run is marked failed in the database.</source>
        <translation>运行 %1 失败：%2

失败前已完成的步已保留，该运行在数据库中被标记为失败。</translation>
    </message>
    <message>
        <source>The run could not start: %1</source>
        <translation>运行无法启动：%1</translation>
    </message>
    <message>
        <source>Run %1 failed.</source>
        <translation>运行 %1 失败。</translation>
    </message>
    <message>
        <source>Run Failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <source>Cannot Resume Run</source>
        <translation>无法继续运行</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Read a run trained by verl, TRL or anything that writes TensorBoard logs into the open database</source>
        <translation>将由 verl、TRL 或任何写 TensorBoard 日志的程序训练的运行读入当前数据库</translation>
    </message>
    <message>
        <source>Stop &amp;Following</source>
        <translation>停止跟随(&amp;F)</translation>
    </message>
    <message numerus="yes">
        <source>Stop &amp;Following (%n run(s))</source>
        <translation>
            <numerusform>停止跟随(&amp;F)（%n 个运行）</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was imported from %1.</source>
        <translation>未从 %1 导入任何内容。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n run(s) from %1.</source>
        <translation>
            <numerusform>已从 %1 导入 %n 个运行。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/%2 · %3</source>
        <translation>%1/%2 · %3</translation>
    </message>
    <message>
        <source>La&amp;youts</source>
        <translation>布局(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Save Layout As…</source>
        <translation>将布局另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>Save Layout</source>
        <translation>保存布局</translation>
    </message>
    <message>
        <source>Name of the layout:</source>
        <translation>布局名称：</translation>
    </message>
    <message>
        <source>Arrange the pages and the Training page&apos;s view as saved</source>
        <translation>按保存时的样子排列各页和训练页的视图</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::MemoryPanel</name>
    <message>
        <source>DeepSeek-V3 (published dimensions, 671B parameters)</source>
        <translation>DeepSeek-V3（公开的维度，6710 亿参数）</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>the tiny preset</source>
        <translation>tiny 预设</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>weight scales</source>
        <translation>权重缩放因子</translation>
    </message>
    <message>
        <source>master weights</source>
        <translation>主权重</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>AdamW m</source>
        <translation>AdamW m</translation>
    </message>
    <message>
        <source>AdamW v</source>
        <translation>AdamW v</translation>
    </message>
    <message>
        <source>total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Training-state memory: %1</source>
        <translation>训练状态内存：%1</translation>
    </message>
    <message>
        <source>%1 %2 B</source>
        <translation>%1 %2 B</translation>
    </message>
    <message>
        <source>Computed from the config, not measured: %1 parameters, %2% of them in GEMM weights (FP8 in the FP8 recipe, with one FP32 scale per 128×128 block). Bytes per parameter: %3. Activations and the KV cache are not counted.</source>
        <translation>根据配置计算，而非实测：%1 个参数，其中 %2% 属于 GEMM 权重（在 FP8 方案中为 FP8，每个 128×128 块一个 FP32 缩放因子）。每参数字节数：%3。未计入激活和 KV 缓存。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::MetricsHub</name>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>No database is open.</source>
        <translation>没有打开的数据库。</translation>
    </message>
    <message>
        <source>Cannot read run %1 from &apos;%2&apos;: %3</source>
        <translation>无法从“%2”读取运行 %1：%3</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ModelViewPanel</name>
    <message>
        <source>Architecture of:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>this checkpoint</source>
        <translation>此检查点</translation>
    </message>
    <message>
        <source>DeepSeek-V2 (counts only)</source>
        <translation>DeepSeek-V2（仅计数）</translation>
    </message>
    <message>
        <source>DeepSeek-V3 (counts only)</source>
        <translation>DeepSeek-V3（仅计数）</translation>
    </message>
    <message>
        <source>Click a box to list its tensors.</source>
        <translation>点击一个方框即可列出其张量。</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Bytes (bf16)</source>
        <translation>字节（bf16）</translation>
    </message>
    <message>
        <source>No model yet.</source>
        <translation>尚无模型。</translation>
    </message>
    <message>
        <source>Token embedding</source>
        <translation>词元嵌入</translation>
    </message>
    <message>
        <source>MLA attention</source>
        <translation>MLA 注意力</translation>
    </message>
    <message>
        <source>GQA attention</source>
        <translation>GQA 注意力</translation>
    </message>
    <message>
        <source>MHA attention</source>
        <translation>MHA 注意力</translation>
    </message>
    <message>
        <source>Dense SwiGLU MLP</source>
        <translation>稠密 SwiGLU MLP</translation>
    </message>
    <message>
        <source>MoE: %1 shared + %2 routed, top-%3</source>
        <translation>MoE：%1 个共享 + %2 个路由专家，top-%3</translation>
    </message>
    <message>
        <source>Final RMSNorm</source>
        <translation>最终 RMSNorm</translation>
    </message>
    <message>
        <source>Output head (lm_head)</source>
        <translation>输出头（lm_head）</translation>
    </message>
    <message>
        <source>MTP module (depth %1)</source>
        <translation>MTP 模块（深度 %1）</translation>
    </message>
    <message>
        <source>Block %1</source>
        <translation>第 %1 块</translation>
    </message>
    <message>
        <source>Blocks %1–%2 (×%3)</source>
        <translation>第 %1–%2 块（×%3）</translation>
    </message>
    <message>
        <source> each</source>
        <translation>（每块）</translation>
    </message>
    <message>
        <source>%1 parameters%2</source>
        <translation>%1 个参数%2</translation>
    </message>
    <message>
        <source>KV cache %1 B per token%2 (bf16)</source>
        <translation>KV 缓存每词元 %1 B%2（bf16）</translation>
    </message>
    <message>
        <source>%1 active per token</source>
        <translation>每词元激活 %1 个</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source>shares embedding and head; KV %1 B per token when drafting</source>
        <translation>与主模型共享嵌入和输出头；起草时 KV 每词元 %1 B</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>MTP</source>
        <translation>MTP</translation>
    </message>
    <message>
        <source>Architecture of “%1”</source>
        <translation>“%1”的架构</translation>
    </message>
    <message>
        <source>%1 parameters (%2 without MTP), %3 active per token</source>
        <translation>%1 个参数（不含 MTP 为 %2），每词元激活 %3 个</translation>
    </message>
    <message>
        <source>%1 MFLOP per token forward at %2 tokens (MTP included); KV cache %3 B per token (%4, bf16)</source>
        <translation>%2 个词元时每词元前向 %1 MFLOP（含 MTP）；KV 缓存每词元 %3 B（%4，bf16）</translation>
    </message>
    <message>
        <source>%1, %2: %3 parameters, %4 active per token</source>
        <translation>%1，%2：%3 个参数，每词元激活 %4 个</translation>
    </message>
    <message>
        <source>; KV cache %1 B per token (bf16)</source>
        <translation>；KV 缓存每词元 %1 B（bf16）</translation>
    </message>
    <message numerus="yes">
        <source>The tensors of block %1 are listed; the other %n block(s) have the same.</source>
        <translation>
            <numerusform>列出的是第 %1 块的张量；其余 %n 块相同。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::NewRunDialog</name>
    <message>
        <source>New Training Run</source>
        <translation>新建训练运行</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Shown in the run list; empty = task and pipeline</source>
        <translation>显示在运行列表中；留空 = 任务和流程名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Verifiable task the model learns; answers are checked exactly</source>
        <translation>模型学习的可验证任务；答案会被精确检查</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Addition and subtraction: digits per operand</source>
        <translation>加法和减法：每个操作数的位数</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Multiplication: digits of the first operand</source>
        <translation>乘法：第一个操作数的位数</translation>
    </message>
    <message>
        <source>Multiplication: digits of the second operand</source>
        <translation>乘法：第二个操作数的位数</translation>
    </message>
    <message>
        <source>Digits (a × b)</source>
        <translation>位数（a × b）</translation>
    </message>
    <message>
        <source>Countdown: how many numbers are given</source>
        <translation>Countdown：给出多少个数</translation>
    </message>
    <message>
        <source>Countdown: largest target</source>
        <translation>Countdown：最大目标数</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>数字个数</translation>
    </message>
    <message>
        <source>Largest target</source>
        <translation>最大目标数</translation>
    </message>
    <message>
        <source>SFT cold start, then GRPO</source>
        <translation>先 SFT 冷启动，再 GRPO</translation>
    </message>
    <message>
        <source>SFT only</source>
        <translation>仅 SFT</translation>
    </message>
    <message>
        <source>GRPO only (from random weights)</source>
        <translation>仅 GRPO（从随机权重开始）</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>Model configuration the run starts from (random initialisation)</source>
        <translation>运行起始的模型配置（随机初始化）</translation>
    </message>
    <message>
        <source>Model preset</source>
        <translation>模型预设</translation>
    </message>
    <message>
        <source>aux_loss — sequence-wise balance loss</source>
        <translation>aux_loss — 序列级均衡损失</translation>
    </message>
    <message>
        <source>none — watch routing collapse</source>
        <translation>none — 观察路由坍塌</translation>
    </message>
    <message>
        <source>Expert balancing</source>
        <translation>专家均衡</translation>
    </message>
    <message>
        <source>SFT (cold start)</source>
        <translation>SFT（冷启动）</translation>
    </message>
    <message>
        <source>Optimizer steps of the SFT stage</source>
        <translation>SFT 阶段的优化器步数</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Sequences per step</source>
        <translation>每步的序列数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Peak learning rate; the cosine schedule ends at the same fraction of it as the starting config</source>
        <translation>峰值学习率；余弦调度结束时的学习率与初始配置保持相同比例</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Unique worked traces SFT draws from; 0 = a fresh problem every time (unlimited traces)</source>
        <translation>SFT 抽取的不重复解题过程数量；0 = 每次都用新题（不限数量）</translation>
    </message>
    <message>
        <source>Cold-start pool</source>
        <translation>冷启动样本池</translation>
    </message>
    <message>
        <source>GRPO</source>
        <translation>GRPO</translation>
    </message>
    <message>
        <source>Optimizer steps (batches of rollouts)</source>
        <translation>优化器步数（rollout 批次数）</translation>
    </message>
    <message>
        <source>G: completions sampled per prompt</source>
        <translation>G：每个提示采样的补全数</translation>
    </message>
    <message>
        <source>Group size G</source>
        <translation>组大小 G</translation>
    </message>
    <message>
        <source>Fresh prompts per batch</source>
        <translation>每批的新提示数</translation>
    </message>
    <message>
        <source>Prompts per step</source>
        <translation>每步提示数</translation>
    </message>
    <message>
        <source>β: weight of the KL penalty to the frozen reference</source>
        <translation>β：相对冻结参考模型的 KL 惩罚权重</translation>
    </message>
    <message>
        <source>KL weight β</source>
        <translation>KL 权重 β</translation>
    </message>
    <message>
        <source>ε: the probability ratio is clipped to [1 − ε, 1 + ε]</source>
        <translation>ε：概率比被裁剪到 [1 − ε, 1 + ε]</translation>
    </message>
    <message>
        <source>Clip range ε</source>
        <translation>裁剪范围 ε</translation>
    </message>
    <message>
        <source>Sampling temperature of the rollouts</source>
        <translation>rollout 的采样温度</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Learning rate of the GRPO stage (constant after warm-up)</source>
        <translation>GRPO 阶段的学习率（预热后保持不变）</translation>
    </message>
    <message>
        <source>Completion budget per rollout in tokens</source>
        <translation>每次 rollout 的补全词元预算</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Also run the SFT control arm</source>
        <translation>同时运行 SFT 对照组</translation>
    </message>
    <message>
        <source>SFT continued on the same pool, from the same checkpoint, for the same wall time, stored as a linked run: what GRPO added is the gap between the two</source>
        <translation>从同一检查点出发，在同一样本池上以相同的挂钟时间继续 SFT，并作为关联运行保存：GRPO 带来的提升就是两者之间的差距</translation>
    </message>
    <message>
        <source>Evaluation and resources</source>
        <translation>评估与资源</translation>
    </message>
    <message>
        <source>Fixed held-out problems scored during training</source>
        <translation>训练期间评分的固定留出题目数</translation>
    </message>
    <message>
        <source>Held-out problems</source>
        <translation>留出题目数</translation>
    </message>
    <message>
        <source>Seed of the data and sampling; same seed, same run</source>
        <translation>数据与采样的随机种子；种子相同，运行相同</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>OpenMP threads of the worker; 0 = all cores. Leaving one core free keeps the window responsive</source>
        <translation>工作线程的 OpenMP 线程数；0 = 全部核心。留出一个核心可让窗口保持流畅</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not a number (write e.g. 0.0001 or 1e-4).</source>
        <translation>%1：“%2”不是数字（请写成例如 0.0001 或 1e-4）。</translation>
    </message>
    <message>
        <source>SFT learning rate</source>
        <translation>SFT 学习率</translation>
    </message>
    <message>
        <source>GRPO learning rate</source>
        <translation>GRPO 学习率</translation>
    </message>
    <message>
        <source>Seed: &apos;%1&apos; is not a whole number &gt;= 0.</source>
        <translation>随机种子：“%1”不是 &gt;= 0 的整数。</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>无法开始：%1</translation>
    </message>
    <message>
        <source>aux_free — bias update only</source>
        <translation>aux_free — 仅偏置更新</translation>
    </message>
    <message>
        <source>aux_free_seq — bias update + sequence loss α = 1e-4 (DeepSeek-V3)</source>
        <translation>aux_free_seq — 偏置更新 + 序列级损失 α = 1e-4（DeepSeek-V3）</translation>
    </message>
    <message>
        <source>Train the multi-token prediction (MTP) module</source>
        <translation>训练多词元预测（MTP）模块</translation>
    </message>
    <message>
        <source>A depth-1 MTP module learns to predict the token after next (its loss adds to SFT&apos;s); unchecked, the model has none and saves its compute</source>
        <translation>深度为 1 的 MTP 模块学习预测下下个词元（其损失计入 SFT 损失）；不勾选时模型没有该模块，并省下它的计算</translation>
    </message>
    <message>
        <source>Sample rollouts speculatively (MTP drafts)</source>
        <translation>以推测方式采样 rollout（MTP 起草）</translation>
    </message>
    <message>
        <source>The MTP module drafts each next token and the model verifies it: the same distribution as plain sampling; faster only where drafts are cheap (small batches)</source>
        <translation>MTP 模块为每个下一词元起草，主模型进行验证：分布与普通采样相同；仅在起草代价低（小批量）时更快</translation>
    </message>
    <message>
        <source>FP32</source>
        <translation>FP32</translation>
    </message>
    <message>
        <source>FP8 — E4M3, 1×T activation and T×T weight scales (DeepSeek-V3)</source>
        <translation>FP8 — E4M3，激活按 1×T、权重按 T×T 缩放（DeepSeek-V3）</translation>
    </message>
    <message>
        <source>FP8, one scale per tensor (ablation)</source>
        <translation>FP8，每个张量一个缩放（消融）</translation>
    </message>
    <message>
        <source>FP8, E5M2 gradients (ablation)</source>
        <translation>FP8，梯度用 E5M2（消融）</translation>
    </message>
    <message>
        <source>Precision of the linear layers&apos; GEMMs in training (forward, input and weight gradients), simulated exactly; master weights, head and router stay FP32</source>
        <translation>训练中线性层 GEMM 的精度（前向、输入梯度与权重梯度），精确模拟；主权重、输出头与路由器保持 FP32</translation>
    </message>
    <message>
        <source>Training precision</source>
        <translation>训练精度</translation>
    </message>
    <message>
        <source>FP8 with BF16 AdamW moments (DeepSeek-V3)</source>
        <translation>FP8，AdamW 矩使用 BF16（DeepSeek-V3）</translation>
    </message>
    <message>
        <source>FP8, simulated tensor-core accumulator promoted every 128 (bit-exact, about 65× slower)</source>
        <translation>FP8，模拟张量核心累加器，每 128 个提升一次（逐位精确，约慢 65 倍）</translation>
    </message>
    <message>
        <source>FP8, one scale per tensor, accumulator never promoted (ablation, about 65× slower)</source>
        <translation>FP8，每个张量一个缩放因子，累加器从不提升（消融实验，约慢 65 倍）</translation>
    </message>
    <message>
        <source>Custom (the settings below)</source>
        <translation>自定义（下方设置）</translation>
    </message>
    <message>
        <source>Fills the form with a built-in experiment&apos;s pinned configuration (the files behind the README&apos;s figures, in assets/experiments/)</source>
        <translation>用内置实验的固定配置填写表单（即 README 中图表所用的文件，位于 assets/experiments/）</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Share of cold-start traces that answer directly with an empty &lt;think&gt;&lt;/think&gt; instead of working the problem out; GRPO then decides which style the model keeps</source>
        <translation>冷启动轨迹中以空 &lt;think&gt;&lt;/think&gt; 直接作答、而非推演题目的比例；随后由 GRPO 决定模型保留哪种风格</translation>
    </message>
    <message>
        <source>Direct answers</source>
        <translation>直接作答</translation>
    </message>
    <message>
        <source>Cannot load %1: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::NextTokenPanel</name>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Next token (click one to append it)</source>
        <translation>下一个词元（点击即可追加）</translation>
    </message>
    <message>
        <source>The text by the probability of each token</source>
        <translation>按各词元概率着色的文本</translation>
    </message>
    <message>
        <source>Probability when chosen</source>
        <translation>被选中时的概率</translation>
    </message>
    <message>
        <source>≥ 90%</source>
        <translation>≥ 90%</translation>
    </message>
    <message>
        <source>50–90%</source>
        <translation>50–90%</translation>
    </message>
    <message>
        <source>10–50%</source>
        <translation>10–50%</translation>
    </message>
    <message>
        <source>&lt; 10%</source>
        <translation>&lt; 10%</translation>
    </message>
    <message>
        <source>Type a text above, or pick a held-out problem, to see what the model predicts.</source>
        <translation>在上方输入文本或选择一道留出题目，即可查看模型的预测。</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>0 = greedy: always the most likely token</source>
        <translation>0 = 贪心：总是选最可能的词元</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <source>Keep the smallest set of most likely tokens whose mass reaches p</source>
        <translation>保留概率质量达到 p 的最小最可能词元集合</translation>
    </message>
    <message>
        <source>Append Most Likely</source>
        <translation>追加最可能的词元</translation>
    </message>
    <message>
        <source>Sample One</source>
        <translation>采样一个</translation>
    </message>
    <message>
        <source>Draw the next token from the sampler&apos;s distribution shown in blue</source>
        <translation>从蓝色所示的采样分布中抽取下一个词元</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Next token</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <source>Position %1: the first token (nothing predicts it)</source>
        <translation>位置 %1：第一个词元（没有预测它的位置）</translation>
    </message>
    <message>
        <source>Position %1: the model gave it %2%</source>
        <translation>位置 %1：模型给它的概率为 %2%</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>rest</source>
        <translation>其余</translation>
    </message>
    <message>
        <source>T %1, top-k %2, top-p %3</source>
        <translation>T %1，top-k %2，top-p %3</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Sampler (%1)</source>
        <translation>采样器（%1）</translation>
    </message>
    <message numerus="yes">
        <source>Next token after %n token(s)</source>
        <translation>
            <numerusform>%n 个词元之后的下一个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>Entropy: model %1 nats, sampler %2 nats. The sampler can draw %3 of %4 tokens.</source>
        <translation>熵：模型 %1 奈特，采样器 %2 奈特。采样器可从 %4 个词元中抽取 %3 个。</translation>
    </message>
    <message>
        <source>MTP&apos;s guess for the token after next (if the next is “%1”): “%2” (%3%).</source>
        <translation>MTP 对下下个词元的猜测（若下一个是“%1”）：“%2”（%3%）。</translation>
    </message>
    <message>
        <source>No MTP guess: the model has no MTP module or the context is full.</source>
        <translation>没有 MTP 猜测：模型没有 MTP 模块，或上下文已满。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::PrecisionPage</name>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Accumulation</source>
        <translation>累加</translation>
    </message>
    <message>
        <source>Scaling Granularity</source>
        <translation>缩放粒度</translation>
    </message>
    <message>
        <source>Training in FP8</source>
        <translation>FP8 训练</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>DeepSeek-V3&apos;s FP8 training recipe, simulated: accumulation error, scaling granularity, FP8 against FP32 training and memory.</source>
        <translation>模拟 DeepSeek-V3 的 FP8 训练方案：累加误差、缩放粒度、FP8 与 FP32 训练对比以及内存。</translation>
    </message>
    <message>
        <source>No run open: the accumulation and memory tabs work without one.</source>
        <translation>未打开运行：累加和内存标签页无需运行即可使用。</translation>
    </message>
    <message>
        <source>Export Charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Write every chart of this page as PNG, SVG, PDF and CSV</source>
        <translation>将本页所有图表写为 PNG、SVG、PDF 和 CSV</translation>
    </message>
    <message>
        <source>Open a run with a checkpoint to measure its weights and activations.</source>
        <translation>打开一个带检查点的运行以测量其权重和激活。</translation>
    </message>
    <message>
        <source>Open a run trained in FP8 (or in FP32) whose twin of the other precision is in the same database: train the same config twice, once with --precision fp8.</source>
        <translation>打开一个以 FP8（或 FP32）训练、且另一精度的孪生运行在同一数据库中的运行：用相同配置训练两次，其中一次加 --precision fp8。</translation>
    </message>
    <message>
        <source>the tiny preset</source>
        <translation>tiny 预设</translation>
    </message>
    <message>
        <source>Run %1 could not be read: %2</source>
        <translation>无法读取运行 %1：%2</translation>
    </message>
    <message>
        <source>Run “%1” (%2).</source>
        <translation>运行“%1”（%2）。</translation>
    </message>
    <message>
        <source>run “%1”&apos;s model (%2)</source>
        <translation>运行“%1”的模型（%2）</translation>
    </message>
    <message>
        <source>the tiny preset (run “%1”&apos;s config is unreadable)</source>
        <translation>tiny 预设（运行“%1”的配置无法读取）</translation>
    </message>
    <message>
        <source>run “%1”, checkpoint of step %2</source>
        <translation>运行“%1”，第 %2 步的检查点</translation>
    </message>
    <message>
        <source>Run “%1” has no checkpoint yet.</source>
        <translation>运行“%1”还没有检查点。</translation>
    </message>
    <message>
        <source>Run “%1” has no SFT stage to compare.</source>
        <translation>运行“%1”没有可比较的 SFT 阶段。</translation>
    </message>
    <message>
        <source>No twin of run “%1” in this database: train the same config and seed with --precision %2 to compare FP8 with FP32.</source>
        <translation>此数据库中没有运行“%1”的孪生运行：用相同配置和种子加 --precision %2 训练，即可比较 FP8 与 FP32。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RewardModelPage</name>
    <message>
        <source>Reward Model</source>
        <translation>奖励模型</translation>
    </message>
    <message>
        <source>Reward-model accuracy against the number of samples k (greedy, voting, meta RM, scalar RM) will appear here once a scaling experiment is stored: run &quot;tinyseek grm train&quot;, then &quot;tinyseek grm scale --db FILE&quot;.</source>
        <translation>保存扩展实验后，这里将显示奖励模型准确率随采样次数 k 的变化（贪心、投票、元奖励模型、标量奖励模型）：先运行 &quot;tinyseek grm train&quot;，再运行 &quot;tinyseek grm scale --db FILE&quot;。</translation>
    </message>
    <message>
        <source>Experiment:</source>
        <translation>实验：</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the database again (new experiments, new rows)</source>
        <translation>重新读取数据库（新的实验、新的结果行）</translation>
    </message>
    <message>
        <source>Export Charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Write both figures of this page as PNG, SVG, PDF and CSV</source>
        <translation>将本页的两幅图导出为 PNG、SVG、PDF 和 CSV</translation>
    </message>
    <message>
        <source>Reward-model accuracy vs samples per item</source>
        <translation>奖励模型准确率与每题采样数</translation>
    </message>
    <message>
        <source>Accuracy on held-out items</source>
        <translation>留出题目上的准确率</translation>
    </message>
    <message>
        <source>Judge tokens generated per item</source>
        <translation>每题评判生成的词元数</translation>
    </message>
    <message>
        <source>Item:</source>
        <translation>题目：</translation>
    </message>
    <message>
        <source>k:</source>
        <translation>k：</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Principles</source>
        <translation>原则</translation>
    </message>
    <message>
        <source>Critique</source>
        <translation>评析</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Meta RM</source>
        <translation>元奖励模型</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>Cannot read run %1 of %2: %3</source>
        <translation>无法读取 %2 中的运行 %1：%3</translation>
    </message>
    <message>
        <source>%1 — %2 held-out items; a tie for the top counts as a random pick (1/t of a point when the true best answer is among t tied), an item without a valid judgment as a miss.</source>
        <translation>%1 — %2 道留出题目；最高分并列按随机选择计（真正最佳答案在 t 个并列者之中时得 1/t 分），没有有效评判的题目算错。</translation>
    </message>
    <message>
        <source>Voting@k</source>
        <translation>投票@k</translation>
    </message>
    <message>
        <source>Meta RM@k</source>
        <translation>元奖励模型@k</translation>
    </message>
    <message>
        <source>Greedy judge</source>
        <translation>贪心评判</translation>
    </message>
    <message>
        <source>Scalar RM</source>
        <translation>标量奖励模型</translation>
    </message>
    <message>
        <source>Tokens per item</source>
        <translation>每题词元数</translation>
    </message>
    <message>
        <source>Sampled judgments</source>
        <translation>采样的评判</translation>
    </message>
    <message>
        <source>No example items stored in this run.</source>
        <translation>此运行未保存示例题目。</translation>
    </message>
    <message>
        <source>%1   (true best: %2)</source>
        <translation>%1   （真正最佳：%2）</translation>
    </message>
    <message>
        <source>Sampled judgments of &quot;%1&quot; (k = %2)</source>
        <translation>&quot;%1&quot; 的采样评判（k = %2）</translation>
    </message>
    <message>
        <source>(invalid)</source>
        <translation>（无效）</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>no valid judgment: no decision (miss)</source>
        <translation>没有有效评判：无结论（算错）</translation>
    </message>
    <message>
        <source>tie for the top (credit %1)</source>
        <translation>最高分并列（得分 %1）</translation>
    </message>
    <message>
        <source>%1 → %2%3</source>
        <translation>%1 → %2%3</translation>
    </message>
    <message>
        <source> (right)</source>
        <translation>（正确）</translation>
    </message>
    <message>
        <source> (wrong)</source>
        <translation>（错误）</translation>
    </message>
    <message>
        <source>Voting@%1 (%2 valid): %3</source>
        <translation>投票@%1（%2 个有效）：%3</translation>
    </message>
    <message>
        <source>Meta RM@%1 (keeps the top %2 by meta-RM score): %3</source>
        <translation>元奖励模型@%1（保留元奖励模型评分最高的 %2 个）：%3</translation>
    </message>
    <message>
        <source>Ceiling: a right judgment among k (pass@k)</source>
        <translation>上限：k 个判断中有一个正确 (pass@k)</translation>
    </message>
    <message>
        <source> Lines: the mean of %1 lab seeds, each with its own trained judge; bands: their lowest to highest.</source>
        <translation> 曲线：%1 个实验种子（各自训练的评判模型）的平均；阴影带：它们的最低到最高。</translation>
    </message>
    <message>
        <source> Bands: lowest to highest of %1 sampling draws of one judge.</source>
        <translation> 阴影带：同一评判模型 %1 次采样抽取的最低到最高。</translation>
    </message>
    <message>
        <source>Random pick among the candidates</source>
        <translation>在候选答案中随机选择</translation>
    </message>
    <message>
        <source>Run %1 · %2</source>
        <translation>运行 %1 · %2</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RolloutDistributionView</name>
    <message>
        <source>Distribution of</source>
        <translation>分布：</translation>
    </message>
    <message>
        <source>Total reward</source>
        <translation>总奖励</translation>
    </message>
    <message>
        <source>Advantage</source>
        <translation>优势</translation>
    </message>
    <message>
        <source>Completion length</source>
        <translation>补全长度</translation>
    </message>
    <message>
        <source>of</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Training rollouts</source>
        <translation>训练采样</translation>
    </message>
    <message>
        <source>Held-out samples</source>
        <translation>留出集样本</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Share of the step&apos;s completions</source>
        <translation>占该步补全的比例</translation>
    </message>
    <message>
        <source>Cannot read the rollouts: %1</source>
        <translation>无法读取采样：%1</translation>
    </message>
    <message>
        <source>%1 of %2, by step</source>
        <translation>%2 的%1，按步</translation>
    </message>
    <message>
        <source>Open a run to see how its rollouts are distributed.</source>
        <translation>打开一个运行以查看其采样的分布。</translation>
    </message>
    <message>
        <source>Run %1 has stored no such completions yet.</source>
        <translation>运行 %1 尚未存储此类补全。</translation>
    </message>
    <message>
        <source>%1 steps, %2 completions each</source>
        <translation>%1 步，每步 %2 个补全</translation>
    </message>
    <message>
        <source>%1 steps, %2–%3 completions each</source>
        <translation>%1 步，每步 %2–%3 个补全</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RolloutGroupModel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%2 个中 %1 个</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>组</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>题目</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Completions</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Mean reward</source>
        <translation>平均奖励</translation>
    </message>
    <message>
        <source>Reward range</source>
        <translation>奖励范围</translation>
    </message>
    <message>
        <source>Mean length</source>
        <translation>平均长度</translation>
    </message>
    <message>
        <source>Lowest and highest total reward in the group; grey when they are equal, so every advantage is 0 and the group teaches GRPO nothing</source>
        <translation>组内最低和最高总奖励；两者相等时显示灰色，此时所有优势为 0，该组对 GRPO 没有贡献</translation>
    </message>
    <message>
        <source>The prompt&apos;s group in its GRPO step, or the problem&apos;s index in the held-out set</source>
        <translation>提示在其 GRPO 步中的组号，或题目在留出集中的序号</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RolloutGroupView</name>
    <message>
        <source>Select a rollout or a prompt above to see its whole group here.</source>
        <translation>在上方选择一个采样或提示，即可在此查看其整组。</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Advantage</source>
        <translation>优势</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Mean log p</source>
        <translation>平均 log p</translation>
    </message>
    <message>
        <source>Mean entropy</source>
        <translation>平均熵</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Mean log-probability of the completion&apos;s tokens at the sampling temperature, under the policy that sampled it</source>
        <translation>补全各词元在采样温度下、在采样它的策略下的平均对数概率</translation>
    </message>
    <message>
        <source>Mean entropy (nats) of the distributions the tokens were drawn from</source>
        <translation>抽取各词元的分布的平均熵（nats）</translation>
    </message>
    <message>
        <source>Colour tokens by</source>
        <translation>词元着色依据</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <source>Advantage push</source>
        <translation>优势推力</translation>
    </message>
    <message>
        <source>Advantage push: the advantage × (1 − p), how much the GRPO update raises (blue to red: lowers to raises) this token&apos;s logit</source>
        <translation>优势推力：优势 × (1 − p)，即 GRPO 更新将该词元的 logit 提高（红）或降低（蓝）多少</translation>
    </message>
    <message>
        <source>No completion selected.</source>
        <translation>未选择补全。</translation>
    </message>
    <message>
        <source>Cannot read the group: %1</source>
        <translation>无法读取该组：%1</translation>
    </message>
    <message>
        <source>This group has no stored completions.</source>
        <translation>该组没有存储的补全。</translation>
    </message>
    <message>
        <source>Step %1, group %2: “%3” — %4 completions, %5 right</source>
        <translation>第 %1 步，第 %2 组：“%3” — %4 个补全，%5 个正确</translation>
    </message>
    <message>
        <source>Evaluation at step %1, held-out problem %2: “%3” — greedy completion, %4</source>
        <translation>第 %1 步的评估，留出题目 %2：“%3” — 贪心补全，%4</translation>
    </message>
    <message>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Member %1 of the group, token by token</source>
        <translation>组内成员 %1，逐词元</translation>
    </message>
    <message>
        <source>This completion was stored without per-token values (an imported or older run, or rollouts.token_values = false).</source>
        <translation>此补全存储时没有逐词元数值（导入的或较旧的运行，或 rollouts.token_values = false）。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RolloutTableModel</name>
    <message>
        <source>malformed</source>
        <translation>格式错误</translation>
    </message>
    <message>
        <source>Prompt: %1
Completion: %2</source>
        <translation>提示：%1
补全：%2</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <source>Advantage</source>
        <translation>优势</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>1 when the answer verifies (rewards/accuracy)</source>
        <translation>答案通过验证时为 1（rewards/accuracy）</translation>
    </message>
    <message>
        <source>1 when the &lt;think&gt;…&lt;/think&gt;&lt;answer&gt;…&lt;/answer&gt; tags are well formed</source>
        <translation>&lt;think&gt;…&lt;/think&gt;&lt;answer&gt;…&lt;/answer&gt; 标签格式正确时为 1</translation>
    </message>
    <message>
        <source>Total reward: the weighted sum of accuracy and format</source>
        <translation>总奖励：准确率与格式的加权和</translation>
    </message>
    <message>
        <source>GRPO advantage: (reward − group mean) / group std</source>
        <translation>GRPO 优势：(奖励 − 组均值) / 组标准差</translation>
    </message>
    <message>
        <source>Completion length in tokens</source>
        <translation>补全长度（词元数）</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>直接作答</translation>
    </message>
    <message>
        <source>thinks · 1 step</source>
        <translation>思考 · 1 步</translation>
    </message>
    <message>
        <source>thinks · %1 steps</source>
        <translation>思考 · %1 步</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Whether the completion works the problem out in &lt;think&gt;…&lt;/think&gt; (and in how many steps) or answers directly with an empty think block</source>
        <translation>补全是在 &lt;think&gt;…&lt;/think&gt; 中推演题目（以及用了几步），还是以空的思考块直接作答</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RolloutsPage</name>
    <message>
        <source>Rollouts</source>
        <translation>采样结果</translation>
    </message>
    <message>
        <source>The sampled completions of a run, with their rewards and advantages, will appear here once a run is started or opened.</source>
        <translation>开始或打开一次运行后，这里将显示该运行采样出的补全及其奖励和优势值。</translation>
    </message>
    <message>
        <source>Steps from</source>
        <translation>步数从</translation>
    </message>
    <message>
        <source>First step whose rollouts are listed</source>
        <translation>列出采样的第一步</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>latest</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>Last step whose rollouts are listed (“latest”: no limit)</source>
        <translation>列出采样的最后一步（“最新”：不限）</translation>
    </message>
    <message>
        <source>Minimum reward</source>
        <translation>最低奖励</translation>
    </message>
    <message>
        <source>List only rollouts whose total reward is at least this</source>
        <translation>只列出总奖励不低于此值的采样</translation>
    </message>
    <message>
        <source>Show All</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>Clear the filters</source>
        <translation>清除筛选条件</translation>
    </message>
    <message>
        <source>Export Table…</source>
        <translation>导出表格…</translation>
    </message>
    <message>
        <source>Write the filtered table as CSV (every row) and as a PNG, SVG or PDF page</source>
        <translation>将筛选后的表格写出为 CSV（所有行）以及 PNG、SVG 或 PDF 页面</translation>
    </message>
    <message>
        <source>Cannot show run %1: %2</source>
        <translation>无法显示运行 %1：%2</translation>
    </message>
    <message>
        <source>Rollouts of run %1</source>
        <translation>运行 %1 的采样</translation>
    </message>
    <message>
        <source>This run has stored no rollouts yet.</source>
        <translation>该运行尚未存储采样。</translation>
    </message>
    <message>
        <source>%1 of %2 rollouts (steps %3–%4)</source>
        <translation>%1 / %2 条采样（第 %3–%4 步）</translation>
    </message>
    <message>
        <source>Completions</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Distributions over Steps</source>
        <translation>按步的分布</translation>
    </message>
    <message>
        <source>Training rollouts</source>
        <translation>训练采样</translation>
    </message>
    <message>
        <source>Held-out samples</source>
        <translation>留出集样本</translation>
    </message>
    <message>
        <source>GRPO&apos;s sampled completions, or the greedy completions of a fixed subset of the held-out set stored at every evaluation</source>
        <translation>GRPO 采样的补全，或每次评估时存储的留出集固定子集的贪心补全</translation>
    </message>
    <message>
        <source>Every completion</source>
        <translation>每个补全</translation>
    </message>
    <message>
        <source>One row per prompt</source>
        <translation>每个提示一行</translation>
    </message>
    <message>
        <source>List each completion, or each prompt once with how its group did (unique-prompt mode)</source>
        <translation>列出每个补全，或每个提示只列一次并显示其组的表现（唯一提示模式）</translation>
    </message>
    <message>
        <source>Select a rollout or a prompt above to see its whole group here.</source>
        <translation>在上方选择一个采样或提示，即可在此查看其整组。</translation>
    </message>
    <message>
        <source>This run has stored no held-out samples: it ran before they were kept, or has not evaluated yet.</source>
        <translation>此运行没有存储留出集样本：它运行于保存样本之前，或尚未评估。</translation>
    </message>
    <message>
        <source>%1 prompts of %2 completions (steps %3–%4)</source>
        <translation>%2 个补全中的 %1 个提示（第 %3–%4 步）</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RoutingPage</name>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Which experts the router picks (load per layer and expert, over time, and per token) will appear here once a run is started or opened.</source>
        <translation>开始或打开一次运行后，这里将显示路由器选择了哪些专家（每层每个专家的负载、随时间的变化以及每个词元的选择）。</translation>
    </message>
    <message>
        <source>Step:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>Scrub through the stored steps</source>
        <translation>在已存储的步之间拖动浏览</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Layer shown over time, in the bias chart and in the token view</source>
        <translation>在随时间变化图、偏置图和词元视图中显示的层</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>对比：</translation>
    </message>
    <message>
        <source>Show another run of this database side by side, on the same colour scale</source>
        <translation>以相同的色标并排显示本数据库中的另一个运行</translation>
    </message>
    <message>
        <source>Export Charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Write every chart of this page as PNG, SVG, PDF and CSV</source>
        <translation>将本页每个图表写出为 PNG、SVG、PDF 和 CSV</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>MaxVio per layer (0 = perfectly balanced)</source>
        <translation>各层 MaxVio（0 = 完全均衡）</translation>
    </message>
    <message>
        <source>MaxVio</source>
        <translation>MaxVio</translation>
    </message>
    <message>
        <source>Router bias b_i</source>
        <translation>路由偏置 b_i</translation>
    </message>
    <message>
        <source>Cannot show run %1: %2</source>
        <translation>无法显示运行 %1：%2</translation>
    </message>
    <message>
        <source>Cannot compare with run %1: %2</source>
        <translation>无法与运行 %1 对比：%2</translation>
    </message>
    <message>
        <source>(no comparison)</source>
        <translation>（不对比）</translation>
    </message>
    <message>
        <source>%1 (run %2)</source>
        <translation>%1（运行 %2）</translation>
    </message>
    <message>
        <source>no balancing</source>
        <translation>无均衡</translation>
    </message>
    <message>
        <source>balancing unknown</source>
        <translation>均衡方式未知</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 has stored no expert statistics yet (a dense model, or no step finished).</source>
        <translation>%1 尚未存储专家统计（稠密模型，或还没有完成的步）。</translation>
    </message>
    <message>
        <source>No expert statistics stored.</source>
        <translation>没有存储专家统计。</translation>
    </message>
    <message>
        <source>%1 · MaxVio %2</source>
        <translation>%1 · MaxVio %2</translation>
    </message>
    <message>
        <source>dead (&lt; %1% of balanced)</source>
        <translation>死亡（低于均衡的 %1%）</translation>
    </message>
    <message>
        <source>overloaded (&gt; %1× balanced)</source>
        <translation>过载（高于均衡的 %1 倍）</translation>
    </message>
    <message>
        <source>%1 · step %2 · MaxVio %3</source>
        <translation>%1 · 第 %2 步 · MaxVio %3</translation>
    </message>
    <message>
        <source>No expert statistics stored for this layer.</source>
        <translation>该层没有存储专家统计。</translation>
    </message>
    <message>
        <source>%1 · %2 over time</source>
        <translation>%1 · %2 随时间变化</translation>
    </message>
    <message>
        <source>Expert %1</source>
        <translation>专家 %1</translation>
    </message>
    <message>
        <source>Router bias · %1 · %2</source>
        <translation>路由偏置 · %1 · %2</translation>
    </message>
    <message>
        <source>Router bias per expert</source>
        <translation>各专家的路由偏置</translation>
    </message>
    <message>
        <source>No router bias stored.</source>
        <translation>没有存储路由偏置。</translation>
    </message>
    <message>
        <source>Load ÷ balanced load</source>
        <translation>负载 ÷ 均衡负载</translation>
    </message>
    <message>
        <source>MaxVio · %1 (0 = perfectly balanced)</source>
        <translation>MaxVio · %1（0 = 完全均衡）</translation>
    </message>
    <message>
        <source>aux-loss-free</source>
        <translation>无辅助损失</translation>
    </message>
    <message>
        <source>aux loss</source>
        <translation>辅助损失</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Colour = each expert&apos;s share of the routed tokens ÷ the balanced share 1/%1: white is balanced, red overloaded, blue starved, grey not recorded at that step. %2 marks dead experts (&lt; %3 of balanced), %4 overloaded ones (&gt; %5×).</source>
        <translation>颜色 = 每个专家所分得的路由词元份额 ÷ 均衡份额 1/%1：白色为均衡，红色为过载，蓝色为缺少负载，灰色为该步未记录。%2 标记死亡专家（低于均衡的 %3），%4 标记过载专家（高于 %5 倍）。</translation>
    </message>
    <message>
        <source>aux-loss-free + sequence loss</source>
        <translation>无辅助损失 + 序列级损失</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RunController</name>
    <message>
        <source>A run is already training; stop it before starting another.</source>
        <translation>已有运行正在训练；请先停止它再启动另一个。</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RunsPage</name>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>The runs stored in the open database (name, task, status, steps, best accuracy) will be listed here to open, compare and export.</source>
        <translation>这里将列出当前数据库中保存的运行（名称、任务、状态、步数、最佳准确率），可打开、比较和导出。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Make the selected run the current run of every page</source>
        <translation>将所选运行设为所有页面的当前运行</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Overlay the selected runs on the Training page&apos;s charts</source>
        <translation>将所选运行叠加到训练页面的图表上</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Rename the selected run</source>
        <translation>重命名所选运行</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the selected runs and all their steps</source>
        <translation>删除所选运行及其所有步</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the list again</source>
        <translation>重新读取列表</translation>
    </message>
    <message>
        <source>Open Database…</source>
        <translation>打开数据库…</translation>
    </message>
    <message>
        <source>Open another run database</source>
        <translation>打开另一个运行数据库</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Best held-out accuracy</source>
        <translation>最佳留出集准确率</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Shown</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Database %1</source>
        <translation>数据库 %1</translation>
    </message>
    <message>
        <source>Cannot list the runs of &apos;%1&apos;: %2</source>
        <translation>无法列出“%1”中的运行：%2</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No runs in %1 yet — start one with File &gt; New Run….</source>
        <translation>%1 中还没有运行 — 请通过“文件 &gt; 新建运行…”启动一个。</translation>
    </message>
    <message>
        <source>1 run in %1</source>
        <translation>%1 中有 1 个运行</translation>
    </message>
    <message>
        <source>%1 runs in %2</source>
        <translation>%2 中有 %1 个运行</translation>
    </message>
    <message>
        <source>The run that is training now cannot be deleted; stop it first</source>
        <translation>正在训练的运行不能删除；请先停止它</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>compared</source>
        <translation>对比中</translation>
    </message>
    <message>
        <source>A run name cannot be empty.</source>
        <translation>运行名称不能为空。</translation>
    </message>
    <message>
        <source>Cannot rename run %1: %2</source>
        <translation>无法重命名运行 %1：%2</translation>
    </message>
    <message>
        <source>Run %1 is training now; stop it before deleting it.</source>
        <translation>运行 %1 正在训练；请先停止再删除。</translation>
    </message>
    <message>
        <source>Cannot delete run %1: %2</source>
        <translation>无法删除运行 %1：%2</translation>
    </message>
    <message>
        <source>Cannot Open Run</source>
        <translation>无法打开运行</translation>
    </message>
    <message>
        <source>Cannot Compare Run</source>
        <translation>无法对比运行</translation>
    </message>
    <message>
        <source>Rename Run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <source>New name of run %1:</source>
        <translation>运行 %1 的新名称：</translation>
    </message>
    <message>
        <source>Cannot Rename Run</source>
        <translation>无法重命名运行</translation>
    </message>
    <message>
        <source>%1 (#%2, %3 steps)</source>
        <translation>%1（#%2，%3 步）</translation>
    </message>
    <message>
        <source>Delete this run and every step, metric, rollout and expert statistic stored with it? This cannot be undone.</source>
        <translation>删除此运行及其保存的所有步、指标、rollout 和专家统计吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete these %1 runs and every step, metric, rollout and expert statistic stored with them? This cannot be undone.</source>
        <translation>删除这 %1 个运行及其保存的所有步、指标、rollout 和专家统计吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete Runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Cannot Delete Run</source>
        <translation>无法删除运行</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the selected stopped, interrupted or failed run from its last checkpoint</source>
        <translation>从最后一个检查点继续所选的已停止、已中断或失败的运行</translation>
    </message>
    <message>
        <source>Control of</source>
        <translation>对照于</translation>
    </message>
    <message>
        <source>Control arm of run %1 (%2)</source>
        <translation>运行 %1（%2）的对照组</translation>
    </message>
    <message>
        <source>Control arm of run %1 (no longer in this database)</source>
        <translation>运行 %1 的对照组（该运行已不在此数据库中）</translation>
    </message>
    <message>
        <source>per tensor</source>
        <translation>按张量</translation>
    </message>
    <message>
        <source>tile %1</source>
        <translation>分块 %1</translation>
    </message>
    <message>
        <source>E5M2 gradients</source>
        <translation>E5M2 梯度</translation>
    </message>
    <message>
        <source>never promoted</source>
        <translation>从不提升</translation>
    </message>
    <message>
        <source>limited accumulator</source>
        <translation>受限累加器</translation>
    </message>
    <message>
        <source>BF16 moments</source>
        <translation>BF16 矩</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>Choose the selected run&apos;s colour on every chart</source>
        <translation>为所选运行选择其在所有图表中的颜色</translation>
    </message>
    <message>
        <source>Run Colour</source>
        <translation>运行颜色</translation>
    </message>
    <message>
        <source>Filter runs…</source>
        <translation>筛选运行…</translation>
    </message>
    <message>
        <source>Runs whose name contains the text; alternatives split by &apos;|&apos;, or /a regular expression/</source>
        <translation>显示名称包含该文本的运行；多个候选以“|”分隔，或写成 /正则表达式/</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::TextFilter</name>
    <message>
        <source>invalid expression: %1</source>
        <translation>无效的表达式：%1</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::ThroughputPanel</name>
    <message>
        <source>Measure Throughput</source>
        <translation>测量吞吐量</translation>
    </message>
    <message>
        <source>Time plain and speculative decoding of held-out prompts in both cache modes at each batch size (on a worker thread)</source>
        <translation>在两种缓存模式下、以每种批大小为留出提示的普通解码和推测解码计时（在工作线程上）</translation>
    </message>
    <message>
        <source>Generated tokens per second</source>
        <translation>每秒生成的词元数</translation>
    </message>
    <message>
        <source>Sequences per batch</source>
        <translation>每批序列数</translation>
    </message>
    <message>
        <source>Tokens per second (log scale)</source>
        <translation>每秒词元数（对数刻度）</translation>
    </message>
    <message>
        <source>Speed-up of speculative decoding</source>
        <translation>推测解码的加速比</translation>
    </message>
    <message>
        <source>Speculative ÷ plain tokens per second</source>
        <translation>推测 ÷ 普通的每秒词元数</translation>
    </message>
    <message>
        <source>DeepSeek-V3 reported</source>
        <translation>DeepSeek-V3 报告值</translation>
    </message>
    <message>
        <source>no gain</source>
        <translation>无提升</translation>
    </message>
    <message>
        <source>speculative, %1</source>
        <translation>推测，%1</translation>
    </message>
    <message>
        <source>plain, %1</source>
        <translation>普通，%1</translation>
    </message>
    <message>
        <source>latent</source>
        <translation>潜在</translation>
    </message>
    <message>
        <source>expanded</source>
        <translation>展开</translation>
    </message>
    <message>
        <source>%1 batch %2: %3</source>
        <translation>%1 批大小 %2：%3</translation>
    </message>
    <message>
        <source>latent cache</source>
        <translation>潜在缓存</translation>
    </message>
    <message>
        <source>expanded cache</source>
        <translation>展开缓存</translation>
    </message>
    <message>
        <source>Tokens per main-model forward (the speed-up if drafting and verifying cost nothing): %1.</source>
        <translation>每次主模型前向的词元数（若起草和验证不耗时的加速比）：%1。</translation>
    </message>
    <message>
        <source>A freshly initialised model drafts almost nothing right: this shows the cost of speculation alone.</source>
        <translation>新初始化的模型几乎起草不对任何词元：这里只显示推测的开销。</translation>
    </message>
    <message>
        <source>This model has no MTP module, so there is no speculative decoding to compare with.</source>
        <translation>该模型没有 MTP 模块，因此没有可比较的推测解码。</translation>
    </message>
    <message numerus="yes">
        <source>A batch of B greedily decodes the first B held-out prompts, at most %1 new tokens each, stopping at &lt;/answer&gt; or &lt;eos&gt;; the fastest of %2 samples of at least %3 s on this machine with %n OpenMP thread(s). Both decodings emit the same tokens.</source>
        <translation>
            <numerusform>大小为 B 的批次贪心解码前 B 个留出提示，每个最多 %1 个新词元，遇到 &lt;/answer&gt; 或 &lt;eos&gt; 停止；取本机用 %n 个 OpenMP 线程、每个至少 %3 秒的 %2 个样本中最快的一个。两种解码输出相同的词元。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::TokenRoutingView</name>
    <message>
        <source>#%1  reward %2  %3</source>
        <translation>#%1  奖励 %2  %3</translation>
    </message>
    <message>
        <source>Rollout:</source>
        <translation>采样：</translation>
    </message>
    <message>
        <source>A rollout stored at the chosen step</source>
        <translation>所选步存储的一条采样</translation>
    </message>
    <message>
        <source>Expert %1</source>
        <translation>专家 %1</translation>
    </message>
    <message>
        <source>No rollout to show yet.</source>
        <translation>还没有可显示的采样。</translation>
    </message>
    <message>
        <source>No rollouts are stored up to step %1.</source>
        <translation>截至第 %1 步没有存储采样。</translation>
    </message>
    <message>
        <source>This run has no checkpoint yet, so the routing of its tokens cannot be recomputed (checkpoints are written at the end of each stage).</source>
        <translation>该运行还没有检查点，因此无法重新计算其词元的路由（检查点在每个阶段结束时写入）。</translation>
    </message>
    <message>
        <source>Recomputing the routing with the checkpoint of step %1…</source>
        <translation>正在用第 %1 步的检查点重新计算路由…</translation>
    </message>
    <message>
        <source>Cannot recompute the routing: %1</source>
        <translation>无法重新计算路由：%1</translation>
    </message>
    <message>
        <source>This model has no MoE layers, so its tokens are not routed.</source>
        <translation>该模型没有 MoE 层，因此其词元不经过路由。</translation>
    </message>
    <message>
        <source>“%1” at position %2, layer %3</source>
        <translation>“%1”，位置 %2，第 %3 层</translation>
    </message>
    <message>
        <source>expert %1: gate weight %2</source>
        <translation>专家 %1：门控权重 %2</translation>
    </message>
    <message>
        <source>Top-1 expert of each token in layer %1 (rollout of step %2)</source>
        <translation>第 %1 层中每个词元的 Top-1 专家（第 %2 步的采样）</translation>
    </message>
    <message>
        <source>Top-1 expert (largest gate weight), layer %1</source>
        <translation>Top-1 专家（门控权重最大），第 %1 层</translation>
    </message>
    <message>
        <source>Routing recomputed by feeding the stored text through the checkpoint of step %1; hover a token for its gate weights.</source>
        <translation>路由由将存储的文本输入第 %1 步的检查点重新计算得出；将鼠标悬停在词元上可查看门控权重。</translation>
    </message>
    <message>
        <source>(The chosen layer is not traced during generation; showing layer %1.)</source>
        <translation>（生成时不追踪所选层；显示第 %1 层。）</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::TrainingPage</name>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Reward curves and every GRPO and SFT metric of the selected runs will appear here once a run is started or opened.</source>
        <translation>开始或打开一次运行后，这里将显示所选运行的奖励曲线以及所有 GRPO 和 SFT 指标。</translation>
    </message>
    <message>
        <source>Metric %1</source>
        <translation>指标 %1</translation>
    </message>
    <message>
        <source>%1 (metric %2)</source>
        <translation>%1（指标 %2）</translation>
    </message>
    <message>
        <source>%1 (#%2)</source>
        <translation>%1（#%2）</translation>
    </message>
    <message>
        <source>Start the Demo Run</source>
        <translation>开始演示运行</translation>
    </message>
    <message>
        <source>Train the tiny model on 3-digit addition (SFT cold start, then GRPO) in this database; the curves start moving within seconds</source>
        <translation>在此数据库中用三位数加法训练 tiny 模型（先 SFT 冷启动，再 GRPO）；几秒内曲线就会开始变化</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Exponential moving average with debiasing (as TensorBoard); the raw values stay drawn faintly behind</source>
        <translation>带去偏的指数移动平均（与 TensorBoard 相同）；原始值以浅色绘制在后面</translation>
    </message>
    <message>
        <source>X axis</source>
        <translation>X 轴</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Wall time</source>
        <translation>挂钟时间</translation>
    </message>
    <message>
        <source>Logarithmic y axis; values &lt;= 0 are hidden and counted in a note</source>
        <translation>对数 y 轴；&lt;= 0 的值不显示，并在注释中计数</translation>
    </message>
    <message>
        <source>Link x zoom</source>
        <translation>联动 x 缩放</translation>
    </message>
    <message>
        <source>Zooming or panning one chart shows the same x range in all</source>
        <translation>缩放或平移一个图表时，所有图表显示相同的 x 范围</translation>
    </message>
    <message>
        <source>Filter metrics…</source>
        <translation>筛选指标…</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Show all data in every chart (double-click a chart to reset only that one)</source>
        <translation>在每个图表中显示全部数据（双击某个图表只重置该图表）</translation>
    </message>
    <message>
        <source>Export Charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Write every shown chart as PNG, SVG, PDF and CSV (all data) into a folder</source>
        <translation>将所有显示的图表以 PNG、SVG、PDF 和 CSV（全部数据）写入一个文件夹</translation>
    </message>
    <message>
        <source>No values of %1 in the shown runs</source>
        <translation>所显示的运行中没有 %1 的值</translation>
    </message>
    <message>
        <source>Remove this run from the comparison</source>
        <translation>从对比中移除此运行</translation>
    </message>
    <message>
        <source>live, step %1</source>
        <translation>实时，第 %1 步</translation>
    </message>
    <message>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 步</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1 步</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>compared</source>
        <translation>对比中</translation>
    </message>
    <message>
        <source>The shown run has no steps yet; its curves appear here as soon as the first step is stored.</source>
        <translation>所显示的运行还没有步；第一步保存后，其曲线就会出现在这里。</translation>
    </message>
    <message>
        <source>Export Charts to Folder</source>
        <translation>将图表导出到文件夹</translation>
    </message>
    <message>
        <source>Export Charts</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Wrote %1 files to %2.</source>
        <translation>已将 %1 个文件写入 %2。</translation>
    </message>
    <message>
        <source>Some files could not be written:
%1</source>
        <translation>部分文件无法写入：
%1</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Group runs differing only in</source>
        <translation>合并仅在此项上不同的运行</translation>
    </message>
    <message>
        <source>Runs of one kind whose configurations agree on everything but this key (e.g. the seeds of one experiment) are drawn as their mean inside a band</source>
        <translation>同一类型、配置仅在此键上不同的运行（例如同一实验的不同种子）画成其均值曲线及范围带</translation>
    </message>
    <message>
        <source>min–max band</source>
        <translation>最小–最大带</translation>
    </message>
    <message>
        <source>± std band</source>
        <translation>± 标准差带</translation>
    </message>
    <message>
        <source>nothing (each run apart)</source>
        <translation>不合并（每个运行单独显示）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Y: all values</source>
        <translation>Y：全部数值</translation>
    </message>
    <message>
        <source>Y: ignore outliers</source>
        <translation>Y：忽略离群值</translation>
    </message>
    <message>
        <source>Y: start at zero</source>
        <translation>Y：从零开始</translation>
    </message>
    <message>
        <source>Charts whose metric name or title contains the text; alternatives split by &apos;|&apos;, or /a regular expression/</source>
        <translation>显示指标名或标题包含该文本的图表；多个候选以“|”分隔，或写成 /正则表达式/</translation>
    </message>
    <message>
        <source>Clear View</source>
        <translation>清除视图</translation>
    </message>
    <message>
        <source>Back to the current run alone: remove the compared runs, the metric filter and the zoom, and fit every y axis to all values</source>
        <translation>回到仅显示当前运行：移除对比的运行、指标筛选和缩放，并让每个 y 轴适应全部数值</translation>
    </message>
    <message>
        <source>Log x</source>
        <translation>对数 x</translation>
    </message>
    <message>
        <source>Logarithmic x axis (early steps spread out); step 0 is not drawn</source>
        <translation>对数 x 轴（早期步骤展开）；第 0 步不绘制</translation>
    </message>
    <message>
        <source>Log y</source>
        <translation>对数 y</translation>
    </message>
    <message>
        <source>Y: fixed…</source>
        <translation>Y：固定…</translation>
    </message>
    <message>
        <source>Y: same in every chart</source>
        <translation>Y：所有图表相同</translation>
    </message>
    <message>
        <source>How the charts fit their y axis: to all values, to the 1st–99th percentile (a spike does not flatten the rest), to all values and zero, to limits you set, or one range for every chart so their scales compare. Right-click a chart to give it its own.</source>
        <translation>图表如何适配 y 轴：适配全部数值、第 1–99 百分位（尖峰不会压平其余部分）、全部数值并包含零、您设定的范围，或所有图表共用一个范围以便比较刻度。右键单击图表可为其单独设置。</translation>
    </message>
    <message>
        <source>every chart without a range of its own</source>
        <translation>所有未单独设置范围的图表</translation>
    </message>
    <message>
        <source>Y Axis of This Chart</source>
        <translation>此图表的 Y 轴</translation>
    </message>
    <message>
        <source>Like the Page</source>
        <translation>与页面相同</translation>
    </message>
    <message>
        <source>All Values</source>
        <translation>全部数值</translation>
    </message>
    <message>
        <source>Ignore Outliers</source>
        <translation>忽略离群值</translation>
    </message>
    <message>
        <source>Start at Zero</source>
        <translation>从零开始</translation>
    </message>
    <message>
        <source>Fixed Range…</source>
        <translation>固定范围…</translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::YRangeDialog</name>
    <message>
        <source>Fixed Y Range</source>
        <translation>固定 Y 范围</translation>
    </message>
    <message>
        <source>The y axis of %1 shows this range whatever the data.</source>
        <translation>无论数据如何，%1 的 y 轴都显示此范围。</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>The minimum must be below the maximum.</source>
        <translation>最小值必须小于最大值。</translation>
    </message>
    <message>
        <source>A logarithmic axis needs a minimum above zero.</source>
        <translation>对数轴的最小值必须大于零。</translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::BarChart</name>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Values ≤ 0 cannot be shown on a log scale.</source>
        <translation>对数坐标无法显示 ≤ 0 的值。</translation>
    </message>
    <message>
        <source>≤ 0</source>
        <translation>≤ 0</translation>
    </message>
    <message>
        <source>No positive values to show on a log scale</source>
        <translation>没有可在对数坐标上显示的正值</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1，%2：%3</translation>
    </message>
    <message>
        <source>%1 = %2–%3</source>
        <translation>%1 = %2–%3</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::HeatmapWidget</name>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::MetricChart</name>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>%1: %2 (smoothed %3)</source>
        <translation>%1：%2（平滑后 %3）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>time unknown</source>
        <translation>时间未知</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Step %1 · %2</source>
        <translation>第 %1 步 · %2</translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::ScalingPlot</name>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>Samples per item (k)</source>
        <translation>每题采样数 (k)</translation>
    </message>
    <message>
        <source>%1 (right axis)</source>
        <translation>%1（右轴）</translation>
    </message>
    <message>
        <source>%1: %2 (right axis)</source>
        <translation>%1：%2（右轴）</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source> (range %1 – %2)</source>
        <translation>（范围 %1 – %2）</translation>
    </message>
    <message>
        <source>%1 = %2–%3</source>
        <translation>%1 = %2–%3</translation>
    </message>
    <message>
        <source>%1, %2 = %3: %4</source>
        <translation>%1，%2 = %3：%4</translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::TokenStrip</name>
    <message>
        <source>No tokens to show</source>
        <translation>没有可显示的词元</translation>
    </message>
    <message>
        <source>Category %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Token %1: &quot;%2&quot;</source>
        <translation>词元 %1：“%2”</translation>
    </message>
</context>
</TS>
