<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>DatabaseFile</name>
    <message>
        <source>No database file was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database file &apos;%1&apos; does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database file &apos;%1&apos; cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an SQLite database (it does not start with the SQLite 3 header).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <source>Cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot allocate a %1 x %2 image for %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported by TinySeek Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricChartScene</name>
    <message>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall time (h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall time (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall time (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No positive values to show on a log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Log scale: %n value(s) ≤ 0 not shown</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <source>cannot write the screenshot &apos;%1&apos;: the folder &apos;%2&apos; does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot render the window for the screenshot &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the screenshot &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::AboutDialog</name>
    <message>
        <source> (built with %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TinySeek Workbench: %1
Qt: %2
Eigen: %3
SQLite: %4
Build type: %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About TinySeek Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;TinySeek Workbench %1&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trains a tiny DeepSeek-style mixture-of-experts reasoning model on your CPU and shows what happens inside: expert routing, KV-cache memory, GRPO rewards and reward-model scaling.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>License: GNU General Public License, version 3 or later (GPL-3.0-or-later). This program comes with ABSOLUTELY NO WARRANTY.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::KvCachePage</name>
    <message>
        <source>KV Cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV-cache bytes per token for MHA, GQA, MQA and MLA, and the cache memory measured while generating, will appear here once a model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::MainWindow</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configure and start a training run (arrives with the run controller, issue #5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a TinySeek run database (*.db, *.sqlite)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the charts of a run as PNG, SVG, PDF and CSV (arrives with issue #5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show every page again, tabbed, with Training in front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About TinySeek Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start or resume training (arrives with the run controller, issue #5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause training after the current step (arrives with the run controller, issue #5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training and keep the completed steps (arrives with the run controller, issue #5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running job; completed steps are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language will change the next time TinySeek Workbench starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TinySeek databases (*.db *.sqlite);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Open Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Recent Databases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TinySeek Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database open (File &gt; Open Database…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA --</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA %1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA %1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RewardModelPage</name>
    <message>
        <source>Reward Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reward-model accuracy against the number of samples k (greedy, voting, meta RM) will appear here once a reward model is trained.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RolloutsPage</name>
    <message>
        <source>Rollouts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sampled completions of a run, with their rewards and advantages, will appear here once a run is started or opened.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RoutingPage</name>
    <message>
        <source>Routing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which experts the router picks (load per layer and expert, over time, and per token) will appear here once a run is started or opened.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::RunsPage</name>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The runs stored in the open database (name, task, status, steps, best accuracy) will be listed here to open, compare and export.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::gui::TrainingPage</name>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reward curves and every GRPO and SFT metric of the selected runs will appear here once a run is started or opened.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::BarChart</name>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values ≤ 0 cannot be shown on a log scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≤ 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No positive values to show on a log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::HeatmapWidget</name>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::MetricChart</name>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall time %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (smoothed %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::ScalingPlot</name>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples per item (k)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (right axis)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (right axis)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, k = %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (range %1 – %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tinyseek::viz::TokenStrip</name>
    <message>
        <source>No tokens to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token %1: &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
