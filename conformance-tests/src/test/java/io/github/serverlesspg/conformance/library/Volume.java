package io.github.serverlesspg.conformance.library;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;

/** A volume on a shelf: the many side of the relation. */
@Entity
public class Volume {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "volume_seq")
  @SequenceGenerator(name = "volume_seq", sequenceName = "volume_seq", allocationSize = 50)
  private Long id;

  private String title;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  private Shelf shelf;

  protected Volume() {
  }

  public Volume(String title) {
    this.title = title;
  }

  public String getTitle() {
    return title;
  }

  void setShelf(Shelf shelf) {
    this.shelf = shelf;
  }
}
