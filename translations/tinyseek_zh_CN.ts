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
    <name>tinyseek::gui::KvCachePage</name>
    <message>
        <source>KV Cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <source>KV-cache bytes per token for MHA, GQA, MQA and MLA, and the cache memory measured while generating, will appear here once a model is loaded.</source>
        <translation>加载模型后，这里将显示 MHA、GQA、MQA 和 MLA 每个词元的 KV 缓存字节数，以及生成时实测的缓存内存。</translation>
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
        <source>Configure and start a training run (arrives with the run controller, issue #5)</source>
        <translation>配置并开始一次训练运行（将随运行控制器在 issue #5 中提供）</translation>
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
        <source>Export the charts of a run as PNG, SVG, PDF and CSV (arrives with issue #5)</source>
        <translation>将运行的图表导出为 PNG、SVG、PDF 和 CSV（将在 issue #5 中提供）</translation>
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
        <source>Start or resume training (arrives with the run controller, issue #5)</source>
        <translation>开始或继续训练（将随运行控制器在 issue #5 中提供）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause training after the current step (arrives with the run controller, issue #5)</source>
        <translation>在当前步完成后暂停训练（将随运行控制器在 issue #5 中提供）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training and keep the completed steps (arrives with the run controller, issue #5)</source>
        <translation>停止训练并保留已完成的步（将随运行控制器在 issue #5 中提供）</translation>
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
</context>
<context>
    <name>tinyseek::gui::RewardModelPage</name>
    <message>
        <source>Reward Model</source>
        <translation>奖励模型</translation>
    </message>
    <message>
        <source>Reward-model accuracy against the number of samples k (greedy, voting, meta RM) will appear here once a reward model is trained.</source>
        <translation>训练奖励模型后，这里将显示奖励模型准确率随采样次数 k 的变化（贪心、投票、元奖励模型）。</translation>
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
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Wall time %1 %2</source>
        <translation>实际用时 %1 %2</translation>
    </message>
    <message>
        <source>%1: %2 (smoothed %3)</source>
        <translation>%1：%2（平滑后 %3）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
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
        <source>%1, k = %2: %3</source>
        <translation>%1，k = %2：%3</translation>
    </message>
    <message>
        <source> (range %1 – %2)</source>
        <translation>（范围 %1 – %2）</translation>
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
