// Pixel statistics for the widget tests: whether a figure was drawn, without comparing images.
#pragma once

#include <QImage>

#include <algorithm>
#include <cmath>

// Standard deviation of the grey values: a blank (single-colour) image gives 0, a drawn figure
// tens of grey levels.
inline double greyStdDev(const QImage& image) {
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0, sumSq = 0;
    const double n = double(grey.width()) * grey.height();
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* row = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x) {
            sum += row[x];
            sumSq += double(row[x]) * row[x];
        }
    }
    const double mean = sum / n;
    return std::sqrt(std::max(0.0, sumSq / n - mean * mean));
}
