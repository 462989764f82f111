#!/usr/bin/env Rscript
# Reference forecasts of the M4 competition's statistical benchmarks (SES, Holt, Damped, Theta,
# Comb, with the M4 seasonal adjustment) and of AutoETS (ets) from R's forecast package, for
# tests/test_classical.cpp and tests/test_ets.cpp.
# Run once from the repository root when the cases change (needs r-base-core r-cran-forecast):
#   Rscript bench/classical_reference.R > tests/data/classical/reference.csv
# Output: long CSV case,season,horizon,kind,index,value; kind "y" is the input series, the
# others a method's forecasts, and "seasonal" 1 when the seasonality test adjusted the series.
suppressMessages(library(forecast))

# The M4 benchmarks' definitions (M4 competition guide, 2018), written here from them.
seasonal_test <- function(y, m) {
  if (m <= 1 || length(y) < 3 * m) return(FALSE)
  r <- acf(y, plot = FALSE)$acf[-1, 1, 1]
  limit <- 1.645 / sqrt(length(y)) * sqrt(cumsum(c(1, 2 * r^2)))
  seasonal <- abs(r[m]) > limit[m]
  if (is.na(seasonal)) FALSE else seasonal
}

theta_m4 <- function(y, h) {
  x <- seq_along(y)
  line <- lm(y ~ x)
  line0_in <- as.numeric(fitted(line))
  line0_out <- as.numeric(predict(line, data.frame(x = length(y) + seq_len(h))))
  line2_out <- as.numeric(ses(2 * y - line0_in, h = h)$mean)
  pmax(0.5 * line2_out + 0.5 * line0_out, 0)
}

benchmarks <- function(y, m, h) {
  y <- ts(y, frequency = m)
  seasonal <- seasonal_test(y, m)
  index <- rep(1, h)
  adjusted <- y
  if (seasonal) {
    s <- decompose(y, type = "multiplicative")$seasonal
    adjusted <- y / s
    index <- rep(tail(as.numeric(s), m), length.out = h)
  }
  ses_f <- as.numeric(ses(adjusted, h = h)$mean) * index
  holt_f <- as.numeric(holt(adjusted, h = h, damped = FALSE)$mean) * index
  damped_f <- as.numeric(holt(adjusted, h = h, damped = TRUE)$mean) * index
  fit <- ets(y)  # AutoETS: R's default family and AICc choice, on the unadjusted series
  list(ses = ses_f, holt = holt_f, damped = damped_f, theta = theta_m4(adjusted, h) * index,
       comb = (ses_f + holt_f + damped_f) / 3, seasonal = as.numeric(seasonal),
       ets = as.numeric(forecast(fit, h = h)$mean), ets_aicc = fit$aicc)
}

column <- function(file, name) read.csv(file.path("datasets", file), check.names = FALSE)[[name]]
cases <- list(
  list("co2-monthly", head(column("co2-concentration.csv", "CO2"), 240), 12, 18),
  list("co2-nonseasonal", head(column("co2-concentration.csv", "CO2"), 120), 1, 12),
  # in kelvin: multiplicative adjustment needs positive values (grucast skips it otherwise)
  list("weather-daily", head(column("seattle-weather.csv", "temp_max"), 400) + 273.15, 7, 14),
  list("sp500-close", tail(column("sp500-2000.csv", "close"), 300), 1, 5),
  list("hourly-normals", head(column("seattle-weather-hourly-normals.csv", "temperature"), 24 * 21), 24, 48),
  list("sp500-short", head(column("sp500-2000.csv", "close"), 30), 1, 6))

cat("case,season,horizon,kind,index,value\n")
for (case in cases) {
  name <- case[[1]]; y <- case[[2]]; m <- case[[3]]; h <- case[[4]]
  out <- function(kind, values) {
    cat(sprintf("%s,%d,%d,%s,%d,%.17g\n", name, m, h, kind, seq_along(values), values), sep = "")
  }
  out("y", y)
  f <- benchmarks(y, m, h)
  for (kind in names(f)) out(kind, f[[kind]])
}
